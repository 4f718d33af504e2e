import { isAbsolute, resolve } from 'node:path';
import { InvalidOptionError } from '../core/errors.js';
import { DEFAULT_SHARDS, assertShardCount } from '../core/routing.js';
import { formatHelp, oneOf, parseTable, wholeNumberIn } from '../cli/options.js';
import { isRemote, isUrl } from '../io/source.js';
import { checkStoreLocation } from '../io/source-store.js';
import type { RunInput } from '../tasks/contracts.js';
import { renderTarget, targetProblem } from './target.js';

/** The workflow slug `--local` uses when none is given: the service name in render.yaml. */
export const DEFAULT_LOCAL_SLUG = 'customer-merge';
/** Where deployed shards read by default: the repo's data/, inside the service's root directory
 * (task processes start there). */
export const DEFAULT_DEPLOYED_DATA = 'data';

/** `npm run trigger`'s options. */
export const TRIGGER_OPTIONS = {
  shards: { type: 'string', value: 'N', help: 'shard count, 1..1024', default: DEFAULT_SHARDS, parse: wholeNumberIn(1, 1024) },
  data: {
    type: 'string',
    value: 'DIR|URL|s3://…',
    help: "where shards read crm.csv, billing.csv, product.csv, support.csv:\nan http(s) base URL, s3://bucket/prefix, or a path inside the\nservice's root directory (deployed) / on this machine (--local)",
    default: DEFAULT_DEPLOYED_DATA,
  },
  out: {
    type: 'string',
    value: 'DIR|s3://…',
    help: "where shards write profiles, rejects, manifests and attempt markers:\na folder on each shard's own instance (gone with it), or\ns3://bucket/prefix (kept, so retries and re-runs resume)",
    default: 'out',
  },
  'max-rejects': { type: 'string', value: 'N', help: 'rejected rows allowed before the run fails', default: 0, parse: wholeNumberIn(0, Number.MAX_SAFE_INTEGER) },
  sink: {
    type: 'string',
    value: 'files|postgres',
    help: "where shards put profiles: files under --out, or PostgreSQL at\nthe service's DATABASE_URL",
    default: 'files',
    parse: oneOf('files', 'postgres'),
  },
  slug: { type: 'string', value: 'SLUG', help: "the workflow's slug", shownDefault: `$RENDER_WORKFLOW_SLUG; --local: ${DEFAULT_LOCAL_SLUG}` },
  local: {
    type: 'boolean',
    help: 'talk to `render workflows dev` (http://localhost:8120, or $RENDER_LOCAL_DEV_URL;\nalso on when RENDER_USE_LOCAL_DEV=true or RENDER_LOCAL_DEV_URL is set)',
  },
  json: { type: 'boolean', help: 'print the outcome as JSON on stdout, nothing else' },
  help: { type: 'boolean', short: 'h', help: 'this text' },
} as const;

export const TRIGGER_USAGE = formatHelp(
  'npm run trigger -- [options]',
  "Starts merge_customer_data on Render Workflows (or, with --local, on the Render CLI's local dev\nserver), waits for its final state by polling the run, and prints the summary with each shard's\nelapsed time from the run details.",
  TRIGGER_OPTIONS,
  'Environment: RENDER_API_KEY (required unless local), RENDER_WORKFLOW_SLUG.',
);

export interface TriggerCliOptions {
  readonly help: boolean;
  readonly local: boolean;
  readonly json: boolean;
  readonly slug: string;
  /** The API key; absent only with --local (the local dev server needs none). */
  readonly token: string | undefined;
  readonly localDevUrl: string | undefined;
  readonly input: RunInput;
}


/**
 * Parses `npm run trigger` arguments: deployed runs need RENDER_API_KEY and a workflow slug; with
 * --local, paths are made absolute and the slug defaults to render.yaml's service name.
 */
export function parseTriggerArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, cwd: string): TriggerCliOptions {
  const values = parseTable(argv, TRIGGER_OPTIONS);
  const help = values.help ?? false;
  const target = renderTarget(values.local ?? false, env);
  const { local } = target;
  const { shards, sink } = values;
  assertShardCount(shards, '--shards');
  const maxRejects = values['max-rejects'];
  // s3:// and http(s) locations go through unchanged; a malformed s3:// one is refused here, in one line.
  checkStoreLocation(values.data, '--data');
  checkStoreLocation(values.out, '--out');
  if (isUrl(values.out)) throw new InvalidOptionError(`--out ${values.out}: shards cannot write to an http(s) URL; use a folder or s3://bucket/prefix`);
  const place = (p: string): string => (local && !isRemote(p) && !isAbsolute(p) ? resolve(cwd, p) : p);
  const data = place(values.data);
  const outDir = place(values.out);
  if (data === '' || outDir === '') throw new InvalidOptionError('--data and --out must not be empty');
  const slug = values.slug ?? (env['RENDER_WORKFLOW_SLUG'] || undefined) ?? (local ? DEFAULT_LOCAL_SLUG : undefined);
  if (!help) {
    const problem = targetProblem(target);
    if (problem !== undefined) throw new InvalidOptionError(problem);
    if (slug === undefined) {
      throw new InvalidOptionError("no workflow slug: set RENDER_WORKFLOW_SLUG (or --slug) to the slug on your workflow's page in the Render Dashboard");
    }
  }
  return {
    help,
    local,
    json: values.json ?? false,
    slug: slug ?? '',
    token: target.token,
    localDevUrl: target.localDevUrl,
    input: { data, out_dir: outDir, shards, ...(maxRejects > 0 ? { max_rejects: maxRejects } : {}), ...(sink === 'postgres' ? { sink: { kind: 'postgres' } } : {}) },
  };
}
