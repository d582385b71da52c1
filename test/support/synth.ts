/** The real CDK app, synthesized in-process with bundling skipped (tests need templates, not zips). */
import { readFileSync } from "node:fs";
import { Template } from "aws-cdk-lib/assertions";
import { buildApp } from "../../infra/app.js";

export function synthesizeApp() {
  // The CLI reads cdk.json's context; in-process we pass the same settings ourselves.
  const cdkJson = JSON.parse(readFileSync("cdk.json", "utf8")) as {
    context: Record<string, unknown>;
  };
  const built = buildApp(
    { context: { ...cdkJson.context, "aws:cdk:bundling-stacks": [] } },
    { account: "123456789012", region: "ap-southeast-2" },
  );
  const assembly = built.app.synth();
  return {
    ...built,
    assembly,
    stateful: Template.fromStack(built.stateful),
    application: Template.fromStack(built.application),
  };
}

/** The state machine's ASL, with CloudFormation intrinsics in its Fn::Join replaced by placeholders. */
export function lifecycleDefinition(application: Template): Record<string, unknown> {
  const machines = Object.values(application.findResources("AWS::StepFunctions::StateMachine"));
  const properties = machines[0]?.Properties as { DefinitionString?: unknown } | undefined;
  if (!properties?.DefinitionString) throw new Error("no state machine in the application stack");
  const text = resolveJoin(properties.DefinitionString);
  return JSON.parse(text) as Record<string, unknown>;
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
