import { isAbsolute, resolve } from 'node:path';
import { InvalidOptionError } from '../core/errors.js';
import { DEFAULT_SHARDS, assertShardCount } from '../core/shard.js';
import { parseOptions, wholeNumber } from '../cli/options.js';
import { isUrl } from '../io/source.js';
import type { RunInput } from '../tasks/contracts.js';
import { renderTarget, targetProblem } from './target.js';

/** The workflow slug `--local` uses when none is given: the service name in render.yaml. */
export const DEFAULT_LOCAL_SLUG = 'customer-merge';
/** Where deployed shards read by default: the repo's data/, inside the service's root directory
 * (task processes start there). */
export const DEFAULT_DEPLOYED_DATA = 'data';

export const TRIGGER_USAGE = `Usage: npm run trigger -- [options]

Starts merge_customer_data on Render Workflows (or, with --local, on the Render CLI's local dev
server), waits for its final state by polling the run, and prints the summary with each shard's
elapsed time from the run details.

  --shards N          shard count, 1..1024                                   [${DEFAULT_SHARDS}]
  --data DIR|URL      where shards read crm.csv, billing.csv, product.csv, support.csv:
                      an http(s) base URL, or a path inside the service's root
                      directory (deployed) / on this machine (--local)       [${DEFAULT_DEPLOYED_DATA}]
  --out DIR           where each shard writes its files, on its own instance [out]
  --max-rejects N     rejected rows allowed before the run fails             [0]
  --sink files|postgres  where shards put profiles: files on their own instance's
                      disk (gone with it), or PostgreSQL at the service's DATABASE_URL [files]
  --slug SLUG         the workflow's slug          [$RENDER_WORKFLOW_SLUG; --local: ${DEFAULT_LOCAL_SLUG}]
  --local             talk to \`render workflows dev\` (http://localhost:8120, or $RENDER_LOCAL_DEV_URL;
                      also on when RENDER_USE_LOCAL_DEV=true or RENDER_LOCAL_DEV_URL is set)
  --json              print the outcome as JSON on stdout, nothing else
  -h, --help          this text

Environment: RENDER_API_KEY (required unless local), RENDER_WORKFLOW_SLUG.`;

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
 * Parses `npm run trigger` arguments and environment. Deployed runs need RENDER_API_KEY and a
 * workflow slug; with --local, local paths are made absolute (the local dev server runs the
 * tasks on this machine, perhaps from another directory) and the slug defaults to the service
 * name in render.yaml.
 */
export function parseTriggerArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, cwd: string): TriggerCliOptions {
  const values = parseOptions(argv, {
    shards: { type: 'string' },
    data: { type: 'string' },
    out: { type: 'string' },
    'max-rejects': { type: 'string' },
    sink: { type: 'string' },
    slug: { type: 'string' },
    local: { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  const help = values.help ?? false;
  const target = renderTarget(values.local ?? false, env);
  const { local } = target;
  const shards = wholeNumber('shards', values.shards, DEFAULT_SHARDS, 1, 1024);
  assertShardCount(shards, '--shards');
  const maxRejects = wholeNumber('max-rejects', values['max-rejects'], 0, 0, Number.MAX_SAFE_INTEGER);
  const place = (p: string): string => (local && !isUrl(p) && !isAbsolute(p) ? resolve(cwd, p) : p);
  const data = place(values.data ?? DEFAULT_DEPLOYED_DATA);
  const outDir = place(values.out ?? 'out');
  if (data === '' || outDir === '') throw new InvalidOptionError('--data and --out must not be empty');
  const sink = values.sink ?? 'files';
  if (sink !== 'files' && sink !== 'postgres') throw new InvalidOptionError(`--sink must be files or postgres, got ${JSON.stringify(sink)}`);
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
