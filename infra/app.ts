/** Builds the CDK app: a stateful stack and an application stack, checked by cdk-nag. */
import { App, type AppProps, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { applyNagSuppressions } from "./nag-suppressions.js";
import { readSettings } from "./settings.js";
import { ApplicationStack } from "./stacks/application-stack.js";
import { StatefulStack } from "./stacks/stateful-stack.js";

/**
 * `env` defaults to the CLI's account and region. The table's customer-managed key is
 * region-specific, so the stacks are never region-agnostic.
 */
export function buildApp(props: AppProps = {}, env?: { account?: string; region?: string }) {
  const app = new App(props);
  const settings = readSettings((key) => app.node.tryGetContext(key));
  env ??= { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const stateful = new StatefulStack(app, "PrivacyDeskData", { settings, env });
  const application = new ApplicationStack(app, "PrivacyDeskApp", {
    settings,
    env,
    table: stateful.table,
    bucket: stateful.bucket,
    key: stateful.key,
  });
  applyNagSuppressions(stateful, application);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stateful, application };
}
