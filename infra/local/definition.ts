/**
 * The lifecycle definition exactly as the CDK app synthesizes it, for the local engine: the
 * application stack's DefinitionString with its CloudFormation intrinsics resolved to local ARNs.
 */
import { readFileSync } from "node:fs";
import { Template } from "aws-cdk-lib/assertions";
import { buildApp } from "../app.js";

export const LOCAL_ENV = { account: "000000000000", region: "ap-southeast-2" };

export function synthesizeLocally() {
  const cdkJson = JSON.parse(readFileSync("cdk.json", "utf8")) as {
    context: Record<string, unknown>;
  };
  const built = buildApp(
    { context: { ...cdkJson.context, "aws:cdk:bundling-stacks": [] } },
    LOCAL_ENV,
  );
  const assembly = built.app.synth();
  return { ...built, assembly };
}

export function lifecycleDefinitionOf(application: Template): {
  StartAt: string;
  States: Record<string, Record<string, unknown>>;
} {
  const machines = Object.values(application.findResources("AWS::StepFunctions::StateMachine"));
  const properties = machines[0]?.Properties as { DefinitionString?: unknown } | undefined;
  if (!properties?.DefinitionString) throw new Error("no state machine in the application stack");
  return JSON.parse(resolveJoin(properties.DefinitionString));
}

export function synthesizedLifecycleDefinition() {
  return lifecycleDefinitionOf(Template.fromStack(synthesizeLocally().application));
}

function resolveJoin(value: unknown): string {
  if (typeof value === "string") return value;
  const join = (value as { "Fn::Join"?: [string, unknown[]] })["Fn::Join"];
  if (join) return join[1].map(resolveJoin).join(join[0]);
  const getAtt = (value as { "Fn::GetAtt"?: [string, string] })["Fn::GetAtt"];
  if (getAtt) return `arn:aws:lambda:local:000000000000:function:${getAtt[0]}`;
  const ref = (value as { Ref?: string }).Ref;
  if (ref) return ref === "AWS::Partition" ? "aws" : ref;
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}
