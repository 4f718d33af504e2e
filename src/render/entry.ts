#!/usr/bin/env node
/**
 * The Render Workflows entry point (render.yaml's start command): loads the SDK, then registers
 * every task of src/tasks/registry.ts in one synchronous call, before the SDK's task server starts
 * on the next turn of the event loop. Without the SDK it exits 1 saying how to install it.
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
