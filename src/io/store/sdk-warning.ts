/**
 * The AWS SDK's switch for its Node version notice (`process.emitWarning` of a
 * "NodeVersionSupportWarning: The AWS SDK for JavaScript (v3) versions published after … will
 * require node >=22" on Node 20, once per process). It is documented by the SDK and read from
 * `process.env` when the first client is made.
 */
export const SDK_NODE_WARNING_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/**
 * Turns off the SDK's Node version notice, and only it, before a client is made: a user running
 * a supported Node 20 gets no multi-line warning on stderr for each process. A value the user set
 * (`false` to see the notice) is left alone.
 */
export function quietSdkNodeWarning(env: NodeJS.ProcessEnv = process.env): void {
  if (env[SDK_NODE_WARNING_SWITCH] === undefined) env[SDK_NODE_WARNING_SWITCH] = 'true';
}
