#!/usr/bin/env node
/**
 * The Render Workflows entry point: `node dist/src/render/entry.js` (render.yaml's start command;
 * `render workflows dev -- node dist/src/render/entry.js` locally). It registers every task of
 * src/tasks/registry.ts with the SDK, the same definitions and functions the local runtime runs.
 *
 * Order matters: the SDK is loaded first (top-level await), then all tasks are registered in one
 * synchronous call during this module's evaluation. The SDK schedules its task server to start
 * on the next turn of the event loop after the first `task()` call (when RENDER_SDK_SOCKET_PATH
 * is set, as Render sets it), by which time every task is registered.
 *
 * Without the SDK installed it exits 1 with one line saying how to install it.
 */
import { tasks } from '../tasks/registry.js';
import { registerTasks } from './register.js';
import { SdkMissingError, loadWorkflowsSdk } from './sdk.js';
import type { WorkflowsSdkLike } from './sdk.js';

let sdk: WorkflowsSdkLike | undefined;
try {
  sdk = await loadWorkflowsSdk();
} catch (err) {
  const message = err instanceof SdkMissingError ? err.message : `cannot load the Render SDK: ${err instanceof Error ? err.message : String(err)}`;
  process.stderr.write(`customer-merge render entry: ${message.split('\n')[0]}\n`);
  process.exit(1);
}

const registered = registerTasks(sdk, tasks);

if (process.env['RENDER_SDK_SOCKET_PATH'] === undefined) {
  process.stderr.write(
    `customer-merge render entry: registered ${registered.map((r) => r.task.name).join(', ')}; ` +
      'RENDER_SDK_SOCKET_PATH is not set, so no task server starts (run it on Render or under `render workflows dev -- node dist/src/render/entry.js`)\n',
  );
}
