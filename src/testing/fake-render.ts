import type { Clock, TaskRunLike, TriggerClientLike, WorkflowsClientLike } from '../render/client.js';

/**
 * A stand-in for the SDK's `Render` client: scripted root-run states, child runs listed page by
 * page (or all at once like the dev server), every call recorded. Test-only.
 */
export class FakeWorkflows implements WorkflowsClientLike {
  readonly calls: { method: string; args: unknown[] }[] = [];
  private reads = 0;
  private runCounter = 0;

  constructor(
    /** Successive answers of getTaskRun(root) for each started run; an Error is thrown. */
    private readonly script: (runIndex: number, input: unknown) => readonly (TaskRunLike | Error)[],
    /** The child runs listed under a root (`{ taskRun, cursor }` items, as SDK 1.x lists them). */
    private readonly children: (rootId: string) => readonly TaskRunLike[] = () => [],
    /** Details of a child run by id (getTaskRun on a child). */
    private readonly childDetails: (id: string) => TaskRunLike | undefined = () => undefined,
    readonly pageSize = 100,
    /** List as the local dev server does: `children('')` whole, whatever the filter and paging. */
    readonly ignoresFilters = false,
  ) {}

  private current: { id: string; states: readonly (TaskRunLike | Error)[] } | undefined;

  startTask(taskSlug: string, input: unknown[]): Promise<{ taskRunId: string }> {
    this.calls.push({ method: 'startTask', args: [taskSlug, input] });
    const id = `trn-root-${this.runCounter}`;
    this.current = { id, states: this.script(this.runCounter, input[0]) };
    this.runCounter++;
    this.reads = 0;
    return Promise.resolve({ taskRunId: id });
  }

  getTaskRun(taskRunId: string): Promise<TaskRunLike> {
    this.calls.push({ method: 'getTaskRun', args: [taskRunId] });
    if (this.current !== undefined && taskRunId === this.current.id) {
      const { states } = this.current;
      const s = states[Math.min(this.reads++, states.length - 1)];
      if (s === undefined) return Promise.reject(new Error('empty script'));
      return s instanceof Error ? Promise.reject(s) : Promise.resolve({ id: taskRunId, ...s });
    }
    const d = this.childDetails(taskRunId);
    return d === undefined ? Promise.reject(new Error(`no run ${taskRunId}`)) : Promise.resolve(d);
  }

  listTaskRuns(params: Record<string, unknown>): Promise<readonly unknown[]> {
    this.calls.push({ method: 'listTaskRuns', args: [params] });
    const roots = params['rootTaskRunId'];
    const root = Array.isArray(roots) && !this.ignoresFilters ? String(roots[0]) : '';
    const all = this.children(root).map((taskRun, i) => ({ taskRun, cursor: `c${i}` }));
    const start = typeof params['cursor'] === 'string' ? Number(params['cursor'].slice(1)) + 1 : 0;
    const limit = typeof params['limit'] === 'number' ? Math.min(params['limit'], this.pageSize) : this.pageSize;
    return Promise.resolve(this.ignoresFilters ? all : all.slice(start, start + limit));
  }

  /** How many times getTaskRun was called for the root run. */
  rootReads(): number {
    return this.calls.filter((c) => c.method === 'getTaskRun' && String(c.args[0]).startsWith('trn-root-')).length;
  }
}

/** `{ workflows }`, the shape of `new Render()`. */
export class FakeRender implements TriggerClientLike {
  constructor(readonly workflows: FakeWorkflows) {}
}

/** A clock that never sleeps: `sleep` advances time and is recorded. */
export class FakeClock implements Clock {
  t = 0;
  readonly sleeps: number[] = [];
  now(): number {
    return this.t;
  }
  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += ms;
    return Promise.resolve();
  }
}
