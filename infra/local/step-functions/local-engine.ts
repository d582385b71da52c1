/**
 * Runs the synthesized lifecycle definition on this machine with `aws-local-stepfunctions`, adding
 * what that library lacks:
 * - task tokens: every Task whose payload asks for `$$.Task.Token` gets a fresh token; the task
 *   then waits until sendTaskSuccess / sendTaskFailure (or its TimeoutSeconds → States.Timeout);
 * - timers over ~24.8 days overflow Node's setTimeout: TimeoutSeconds are clamped;
 * - named executions: starting the same name twice with the same input is a no-op.
 * Lambda tasks call `lambdaInvoker(functionName, payload)`: the real handler modules locally, a
 * fake in workflow tests.
 */
import { randomUUID } from "node:crypto";
import { StateMachine } from "aws-local-stepfunctions";

type Json = unknown;
type EventLog =
  ReturnType<StateMachine["run"]>["eventLogs"] extends AsyncGenerator<infer E> ? E : never;
type Asl = { StartAt: string; States: Record<string, Record<string, unknown>> };

export type LambdaInvoker = (functionName: string, payload: Json) => Promise<Json>;

export interface LocalEngineOptions {
  definition: Asl;
  lambdaInvoker: LambdaInvoker;
  /** Longest timeout a state may have, in seconds (setTimeout overflows past 2^31-1 ms). */
  clampTimeoutSeconds?: number;
  /** Per-state TimeoutSeconds overrides (tests shorten a wait to see its timeout path). */
  timeoutOverrides?: Record<string, number>;
}

export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "ABORTED";

export interface LocalExecution {
  executionArn: string;
  name: string;
  input: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  /** States entered, in order. */
  states: string[];
  /** Completes when the execution ends, whatever the outcome. */
  done: Promise<void>;
}

interface PendingTask {
  executionArn: string;
  state: string;
  resolve(output: Json): void;
  reject(error: Error): void;
}

const TOKEN_MARKER = "__local_task_token__";
const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000) - 60;

export class TaskTokenError extends Error {
  override readonly name = "TaskDoesNotExist";
}

export class ExecutionExistsError extends Error {
  override readonly name = "ExecutionAlreadyExists";
}

export class LocalStepFunctions {
  private readonly machine: StateMachine;
  private readonly executions = new Map<string, LocalExecution & { abort(): void }>();
  private readonly tasks = new Map<string, PendingTask>();

  constructor(
    private readonly options: LocalEngineOptions,
    private readonly stateMachineArn = "arn:aws:states:local:000000000000:stateMachine:PrivacyDeskRequestLifecycle",
  ) {
    this.machine = new StateMachine(this.prepare(options.definition) as never, {
      validationOptions: { checkArn: false },
    });
  }

  /** Clamps every timeout under the timer limit and applies overrides. */
  private prepare(definition: Asl): Asl {
    const clamp = Math.min(this.options.clampTimeoutSeconds ?? 20 * 86_400, MAX_TIMER_SECONDS);
    const states = Object.fromEntries(
      Object.entries(definition.States).map(([name, state]) => {
        const override = this.options.timeoutOverrides?.[name];
        const timeout = typeof state.TimeoutSeconds === "number" ? state.TimeoutSeconds : undefined;
        return [
          name,
          timeout === undefined && override === undefined
            ? state
            : { ...state, TimeoutSeconds: Math.min(override ?? timeout ?? clamp, clamp) },
        ];
      }),
    );
    return { ...definition, States: states };
  }

  private handlers(executionArn: string) {
    const handlers: Record<string, (input: Json) => Promise<Json>> = {};
    for (const [name, state] of Object.entries(this.options.definition.States)) {
      if (state.Type !== "Task") continue;
      const resource = String(state.Resource);
      handlers[name] = async (input: Json) => {
        // lambda:invoke(.waitForTaskToken) gets {FunctionName, Payload}; a bare function ARN gets the payload.
        const isIntegration = resource.startsWith("arn:aws:states:::lambda:invoke");
        const envelope = input as { FunctionName?: string; Payload?: Json };
        const functionName = functionNameOf(
          isIntegration ? String(envelope.FunctionName) : resource,
        );
        const payload = isIntegration ? envelope.Payload : input;
        const wantsToken = (payload as { taskToken?: string } | null)?.taskToken === TOKEN_MARKER;
        if (!wantsToken) {
          const result = await this.options.lambdaInvoker(functionName, payload);
          return isIntegration ? { Payload: result, StatusCode: 200 } : (result ?? {});
        }
        const token = randomUUID();
        const waiting = new Promise<Json>((resolve, reject) => {
          this.tasks.set(token, { executionArn, state: name, resolve, reject });
        });
        try {
          await this.options.lambdaInvoker(functionName, {
            ...(payload as object),
            taskToken: token,
          });
          return await waiting;
        } finally {
          this.tasks.delete(token);
        }
      };
    }
    return handlers;
  }

  startExecution(args: { name: string; input: string; startAt?: string }): LocalExecution {
    const executionArn = `${this.stateMachineArn.replace(":stateMachine:", ":execution:")}:${args.name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (existing.input === args.input) return existing;
      throw new ExecutionExistsError(`Execution ${args.name} already exists`);
    }
    // Resuming at a later state leaves the earlier ones unreachable, which the library's validator
    // rejects; the same definition was validated whole in the constructor.
    const machine = args.startAt
      ? new StateMachine(
          { ...this.prepare(this.options.definition), StartAt: args.startAt } as never,
          {
            validationOptions: { noValidate: true },
          },
        )
      : this.machine;
    const run = machine.run(JSON.parse(args.input) as never, {
      context: { Task: { Token: TOKEN_MARKER } } as never,
      overrides: {
        taskResourceLocalHandlers: this.handlers(executionArn) as never,
        retryIntervalOverrides: this.retryOverrides(),
      },
    });
    const execution: LocalExecution & { abort(): void } = {
      executionArn,
      name: args.name,
      input: args.input,
      status: "RUNNING",
      startDate: new Date(),
      states: [],
      abort: run.abort,
      done: Promise.resolve(),
    };
    const logs = (async () => {
      for await (const event of run.eventLogs as AsyncGenerator<EventLog>) {
        if (event.type === "StateEntered" && "state" in event)
          execution.states.push(event.state.name);
      }
    })();
    execution.done = run.result
      .then((output) => {
        execution.status = "SUCCEEDED";
        execution.output = JSON.stringify(output);
      })
      .catch((error: Error & { cause?: unknown }) => {
        if (execution.status === "ABORTED") return;
        execution.status = "FAILED";
        execution.error = error.name;
        execution.cause = error.message;
      })
      .then(() => logs.catch(() => undefined))
      .finally(() => {
        execution.stopDate ??= new Date();
      });
    this.executions.set(executionArn, execution);
    return execution;
  }

  private retryOverrides(): Record<string, number> {
    // Locally a retry waits a moment, not the production backoff.
    return Object.fromEntries(
      Object.entries(this.options.definition.States)
        .filter(([, s]) => Array.isArray(s.Retry))
        .map(([name]) => [name, 10]),
    );
  }

  describeExecution(executionArn: string): LocalExecution | undefined {
    return this.executions.get(executionArn);
  }

  stopExecution(executionArn: string): void {
    const execution = this.executions.get(executionArn);
    if (execution?.status !== "RUNNING") return;
    execution.status = "ABORTED";
    execution.stopDate = new Date();
    for (const [token, task] of this.tasks) {
      if (task.executionArn === executionArn) this.tasks.delete(token);
    }
    execution.abort();
  }

  sendTaskSuccess(taskToken: string, output: string): void {
    this.takeTask(taskToken).resolve(JSON.parse(output) as Json);
  }

  sendTaskFailure(taskToken: string, error = "TaskFailed", cause = ""): void {
    const failure = new Error(cause);
    failure.name = error;
    this.takeTask(taskToken).reject(failure);
  }

  sendTaskHeartbeat(taskToken: string): void {
    if (!this.tasks.has(taskToken)) throw new TaskTokenError("Task token is not pending");
  }

  private takeTask(token: string): PendingTask {
    const task = this.tasks.get(token);
    if (!task) throw new TaskTokenError("Task token is not pending");
    this.tasks.delete(token);
    return task;
  }

  /** Ends every running execution (shutdown). */
  stopAll(): void {
    for (const arn of this.executions.keys()) this.stopExecution(arn);
  }
}

/** `arn:aws:lambda:region:account:function:Name[:qualifier]` → `Name`. */
export function functionNameOf(arn: string): string {
  const parts = arn.split(":");
  return parts[6] ?? arn;
}
