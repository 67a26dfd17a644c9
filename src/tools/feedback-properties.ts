import { PROP } from '../events';
import type { FeedbackReport, JsonObject } from '../types';

/** The `$mcp_feedback` properties of a report; intent is the summary and details joined by a blank line. */
export function feedbackProperties(report: FeedbackReport | undefined): JsonObject {
  if (!report) return { [PROP.feedbackType]: 'other' };
  const intent = [report.summary, report.details]
    .filter((part) => typeof part === 'string' && part.trim() !== '')
    .join('\n\n');
  const properties: JsonObject = {
    [PROP.feedbackType]: report.feedbackType,
    [PROP.feedbackSummary]: report.summary,
    [PROP.feedbackDetails]: report.details,
    [PROP.feedbackFrictionPoints]: report.frictionPoints,
    [PROP.feedbackSuggestedImprovement]: report.suggestedImprovement,
    [PROP.feedbackTool]: report.toolName,
    [PROP.feedbackSentiment]: report.sentiment,
    [PROP.feedbackTaskCompleted]: report.taskCompleted,
    [PROP.intent]: intent === '' ? undefined : intent,
    [PROP.intentSource]: intent === '' ? undefined : 'context_parameter',
  };
  for (const [name, value] of Object.entries(report.extras ?? {})) {
    properties[`${PROP.feedbackPrefix}${name}`] = value;
  }
  return properties;
}
