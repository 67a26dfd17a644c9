import { readFileSync } from 'node:fs';
import { PostHog } from 'posthog-node';
import { describe, expect, it } from 'vitest';

interface PackageJson {
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as PackageJson;

/** Runs in the `lowest-peer` project only, where `posthog-node` resolves to the `posthog-node-lowest` alias. */
describe('the lowest posthog-node the peer range admits', () => {
  it('the peer floor is exactly the version the alias installs', () => {
    const floor = /^\^(\d+\.\d+\.\d+)$/.exec(pkg.peerDependencies['posthog-node'] ?? '')?.[1];
    expect(floor).toBeDefined();
    expect(pkg.devDependencies['posthog-node-lowest']).toBe(`npm:posthog-node@${floor}`);
  });

  it('is the posthog-node these wire tests run against', async () => {
    const floor = pkg.peerDependencies['posthog-node']?.slice(1);
    const client = new PostHog('phc_test', { disableGeoip: true, preloadFeatureFlags: false });
    expect(client.getLibraryVersion()).toBe(floor);
    await client.shutdown();
  });
});
