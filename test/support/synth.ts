/** The real CDK app, synthesized in-process with bundling skipped (tests need templates, not zips). */
import { Template } from "aws-cdk-lib/assertions";
import { synthesizeLocally } from "../../infra/local/definition.js";

export { lifecycleDefinitionOf as lifecycleDefinition } from "../../infra/local/definition.js";

export function synthesizeApp() {
  const built = synthesizeLocally();
  return {
    ...built,
    stateful: Template.fromStack(built.stateful),
    application: Template.fromStack(built.application),
  };
}
