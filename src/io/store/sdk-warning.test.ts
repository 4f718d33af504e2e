import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { unusedPort } from '../../testing/net.js';
import { SDK_NODE_WARNING_SWITCH } from './sdk-warning.js';

const root = join(import.meta.dirname, '..', '..', '..');
const storeIndex = pathToFileURL(join(root, 'dist', 'src', 'io', 'store', 'index.js')).href;
const sdk = pathToFileURL(join(root, 'node_modules', '@aws-sdk', 'client-s3', 'dist-cjs', 'index.js')).href;
const nodeMajor = Number(process.versions.node.split('.')[0]);

/** Runs `code` as an ES module in a fresh Node (this one), with the switch unset unless given; returns its stderr. */
function stderrOf(code: string, switchValue?: string): string {
  const env = { ...process.env };
  delete env[SDK_NODE_WARNING_SWITCH];
  if (switchValue !== undefined) env[SDK_NODE_WARNING_SWITCH] = switchValue;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { env, encoding: 'utf8', timeout: 30_000 });
  expect(r.stdout, r.stderr).toContain('call failed');
  return r.stderr;
}

/** A store call that fails fast (nothing listens on the port) after the client was made. */
const storeCall = (port: number): string => `
import { openStore } from ${JSON.stringify(storeIndex)};
const s = openStore('s3://some-bucket/p', { env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:${port}', AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' }, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
await s.head('x.csv').catch((e) => console.log('call failed:', e.code));
await s.close();`;

/** The same call through a bare SDK client, as the SDK behaves without the store's switch. */
const bareCall = (port: number): string => `
import sdk from ${JSON.stringify(sdk)};
const c = new sdk.S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:${port}', forcePathStyle: true, credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
await c.send(new sdk.HeadObjectCommand({ Bucket: 'some-bucket', Key: 'x.csv' })).catch((e) => console.log('call failed:', e.code));
c.destroy();`;

describe(`the AWS SDK's Node version notice (node ${process.versions.node})`, () => {
  it('a store call writes nothing to stderr', async () => {
    expect(stderrOf(storeCall(await unusedPort()))).toBe('');
  });

  it(`a bare SDK client ${nodeMajor < 22 ? 'prints the notice (what the store keeps quiet)' : 'prints no notice on this Node (the SDK warns below 22 only)'}`, async () => {
    const stderr = stderrOf(bareCall(await unusedPort()));
    if (nodeMajor < 22) expect(stderr).toContain('NodeVersionSupportWarning: The AWS SDK for JavaScript (v3)');
    else expect(stderr).not.toContain('NodeVersionSupportWarning');
  });

  it(`a user who sets ${SDK_NODE_WARNING_SWITCH}=false sees the notice again${nodeMajor < 22 ? '' : ' (none on this Node)'}`, async () => {
    const stderr = stderrOf(storeCall(await unusedPort()), 'false');
    if (nodeMajor < 22) expect(stderr).toContain('NodeVersionSupportWarning');
    else expect(stderr).toBe('');
  });
});
