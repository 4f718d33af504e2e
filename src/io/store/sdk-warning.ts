/** The AWS SDK's documented switch for its "NodeVersionSupportWarning" on Node 20, read when the first client is made. */
export const SDK_NODE_WARNING_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';

/** Turns off only the SDK's Node version notice before a client is made; a value the user set is left alone. */
export function quietSdkNodeWarning(env: NodeJS.ProcessEnv = process.env): void {
  if (env[SDK_NODE_WARNING_SWITCH] === undefined) env[SDK_NODE_WARNING_SWITCH] = 'true';
}
