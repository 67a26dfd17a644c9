import { escapeHtml, formatCount } from './html-text';
import type { LatencyBucket } from './report-data';

/** Width of the inline bars in table cells, in CSS pixels. */
const BAR_WIDTH = 96;
const BAR_HEIGHT = 12;

const HISTOGRAM = { maxSlot: 84, minWidth: 360, height: 220, top: 22, bottom: 40, gap: 8 } as const;

function fraction(value: number, max: number): number {
  return max > 0 && Number.isFinite(value) ? Math.min(1, Math.max(0, value / max)) : 0;
}

function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/**
 * An inline horizontal bar filled to `value / max`, labelled for screen readers; `kind` picks its colour class.
 * A `stretch` bar fills the width its container gives it.
 */
export function barSvg(options: {
  kind: string;
  value: number;
  max: number;
  label: string;
  stretch?: boolean;
}): string {
  const filled = fraction(options.value, options.max) * BAR_WIDTH;
  const visible = options.value > 0 ? Math.max(filled, 2) : 0;
  const aspect = options.stretch ? ' preserveAspectRatio="none"' : '';
  return (
    `<svg class="bar ${options.kind}-bar" width="${BAR_WIDTH}" height="${BAR_HEIGHT}"${aspect} ` +
    `viewBox="0 0 ${BAR_WIDTH} ${BAR_HEIGHT}" role="img" aria-label="${escapeHtml(options.label)}">` +
    `<rect class="track" width="${BAR_WIDTH}" height="${BAR_HEIGHT}" rx="3"/>` +
    `<rect class="fill" width="${px(visible)}" height="${BAR_HEIGHT}" rx="3"/></svg>`
  );
}

/** A latency bar on a shared scale: p95 as the light outer bar, p50 as the dark inner one. */
export function latencyBarSvg(options: {
  p50Ms?: number;
  p95Ms?: number;
  maxMs: number;
  label: string;
}): string {
  const p95 =
    options.p95Ms === undefined ? 0 : Math.max(2, fraction(options.p95Ms, options.maxMs) * BAR_WIDTH);
  const p50 =
    options.p50Ms === undefined ? 0 : Math.max(2, fraction(options.p50Ms, options.maxMs) * BAR_WIDTH);
  return (
    `<svg class="bar latency-bar" width="${BAR_WIDTH}" height="${BAR_HEIGHT}" ` +
    `viewBox="0 0 ${BAR_WIDTH} ${BAR_HEIGHT}" role="img" aria-label="${escapeHtml(options.label)}">` +
    `<rect class="track" width="${BAR_WIDTH}" height="${BAR_HEIGHT}" rx="3"/>` +
    `<rect class="p95" width="${px(p95)}" height="${BAR_HEIGHT}" rx="3"/>` +
    `<rect class="p50" width="${px(p50)}" height="${BAR_HEIGHT}" rx="3"/></svg>`
  );
}

function boundLabel(ms: number): string {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}

/** A short label for a histogram bucket: `<1 ms`, `2–5 ms`, `0.5–1 s`, `≥10 s`. */
export function bucketLabel(bucket: LatencyBucket): string {
  if (bucket.fromMs === 0) return `<${boundLabel(bucket.toMs)}`;
  if (!Number.isFinite(bucket.toMs)) return `≥${boundLabel(bucket.fromMs)}`;
  const unitOfTo = bucket.toMs >= 1000 ? 1000 : 1;
  const from = bucket.fromMs / unitOfTo;
  return `${from}–${boundLabel(bucket.toMs)}`;
}

/** A vertical bar chart of the latency buckets, each bar with its count above and its range below. */
export function histogramSvg(buckets: readonly LatencyBucket[]): string {
  const { maxSlot, minWidth, height, top, bottom, gap } = HISTOGRAM;
  const max = Math.max(...buckets.map((bucket) => bucket.count), 1);
  const width = Math.max(minWidth, maxSlot * buckets.length);
  const slot = Math.min(maxSlot, width / Math.max(buckets.length, 1));
  const plot = height - top - bottom;
  const bars = buckets.map((bucket, index) => {
    const barHeight = bucket.count > 0 ? Math.max(2, fraction(bucket.count, max) * plot) : 0;
    const x = index * slot + gap / 2;
    const y = top + plot - barHeight;
    const middle = px(x + (slot - gap) / 2);
    const label = bucketLabel(bucket);
    return (
      `<g class="bucket"><title>${escapeHtml(`${label}: ${formatCount(bucket.count)} call(s)`)}</title>` +
      `<rect class="fill" x="${px(x)}" y="${px(y)}" width="${px(slot - gap)}" height="${px(barHeight)}" rx="3"/>` +
      `<text class="count" x="${middle}" y="${px(y - 6)}" text-anchor="middle">${formatCount(bucket.count)}</text>` +
      `<text class="axis" x="${middle}" y="${height - bottom + 18}" text-anchor="middle">${escapeHtml(label)}</text></g>`
    );
  });
  return (
    `<svg class="histogram" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `role="img" aria-label="Tool call latency histogram">` +
    `<line class="baseline" x1="0" x2="${width}" y1="${top + plot}" y2="${top + plot}"/>${bars.join('')}</svg>`
  );
}
