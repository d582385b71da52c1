/**
 * Workflow over Step Functions: one Standard execution per request, named by the request id, so
 * a retried start can never create a second one.
 */
import {
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import type { Workflow, WorkflowInput } from "../use-cases/ports.js";

/** The task the token belonged to has ended (timed out, or the execution stopped). */
export class WorkflowTaskGoneError extends Error {
  override readonly name = "WorkflowTaskGoneError";
}

const nameOf = (error: unknown) => (error as { name?: string } | undefined)?.name ?? "";
const TASK_GONE = new Set(["TaskTimedOut", "TaskDoesNotExist", "InvalidToken"]);

export class SfnWorkflow implements Workflow {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  /** arn:aws:states:region:account:stateMachine:Name → …:execution:Name:<requestId> */
  executionArn(requestId: string): string {
    return `${this.stateMachineArn.replace(":stateMachine:", ":execution:")}:${requestId}`;
  }

  async start(input: WorkflowInput): Promise<void> {
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: input.requestId,
          input: JSON.stringify(input),
        }),
      );
    } catch (error) {
      // Same name and input: the execution is already running, which is what we wanted.
      if (nameOf(error) !== "ExecutionAlreadyExists") throw error;
    }
  }

  async succeed(taskToken: string, output: Record<string, unknown>): Promise<void> {
    await this.resume(() =>
      this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })),
    );
  }

  async fail(taskToken: string, error: string, cause: string): Promise<void> {
    await this.resume(() =>
      this.client.send(new SendTaskFailureCommand({ taskToken, error, cause })),
    );
  }

  async stop(requestId: string, cause: string): Promise<void> {
    try {
      await this.client.send(
        new StopExecutionCommand({ executionArn: this.executionArn(requestId), cause }),
      );
    } catch (error) {
      if (nameOf(error) !== "ExecutionDoesNotExist") throw error;
    }
  }

  private async resume(send: () => Promise<unknown>): Promise<void> {
    try {
      await send();
    } catch (error) {
      if (TASK_GONE.has(nameOf(error))) throw new WorkflowTaskGoneError(nameOf(error));
      throw error;
    }
  }
}
