/**
 * A loopback endpoint speaking the Step Functions JSON 1.0 protocol over the local engine, so the
 * handlers' @aws-sdk/client-sfn calls are the same locally as in AWS.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { LocalStepFunctions } from "./step-functions/local-engine.js";

type Body = Record<string, unknown>;

async function readJson(req: IncomingMessage): Promise<Body> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? (JSON.parse(text) as Body) : {};
}

export function sfnEndpoint(engine: LocalStepFunctions, stateMachineArn: string) {
  const actions: Record<string, (body: Body) => unknown> = {
    StartExecution: (b) => {
      if (b.stateMachineArn !== stateMachineArn)
        throw named("StateMachineDoesNotExist", "unknown state machine");
      const execution = engine.startExecution({
        name: String(b.name),
        input: String(b.input ?? "{}"),
      });
      return {
        executionArn: execution.executionArn,
        startDate: execution.startDate.getTime() / 1000,
      };
    },
    DescribeExecution: (b) => {
      const execution = engine.describeExecution(String(b.executionArn));
      if (!execution) throw named("ExecutionDoesNotExist", "no such execution");
      return {
        executionArn: execution.executionArn,
        stateMachineArn,
        name: execution.name,
        status: execution.status,
        startDate: execution.startDate.getTime() / 1000,
        ...(execution.stopDate ? { stopDate: execution.stopDate.getTime() / 1000 } : {}),
        input: execution.input,
        ...(execution.output ? { output: execution.output } : {}),
        ...(execution.error ? { error: execution.error, cause: execution.cause } : {}),
      };
    },
    StopExecution: (b) => {
      if (!engine.describeExecution(String(b.executionArn)))
        throw named("ExecutionDoesNotExist", "no such execution");
      engine.stopExecution(String(b.executionArn));
      return { stopDate: Date.now() / 1000 };
    },
    SendTaskSuccess: (b) =>
      engine.sendTaskSuccess(String(b.taskToken), String(b.output ?? "{}")) ?? {},
    SendTaskFailure: (b) =>
      engine.sendTaskFailure(
        String(b.taskToken),
        String(b.error ?? "TaskFailed"),
        String(b.cause ?? ""),
      ) ?? {},
    SendTaskHeartbeat: (b) => engine.sendTaskHeartbeat(String(b.taskToken)) ?? {},
  };

  return async (req: IncomingMessage, res: ServerResponse) => {
    const target = String(req.headers["x-amz-target"] ?? "").replace("AWSStepFunctions.", "");
    const action = actions[target];
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/x-amz-json-1.0" });
      res.end(JSON.stringify(body));
    };
    if (!action)
      return reply(400, { __type: "UnknownOperationException", message: `unsupported: ${target}` });
    try {
      reply(200, action(await readJson(req)));
    } catch (error) {
      const e = error as Error;
      reply(400, { __type: e.name || "InternalFailure", message: e.message });
    }
  };
}

function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}
