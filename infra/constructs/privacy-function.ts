/**
 * A Lambda function with the house defaults: Node 24 on ARM64, bundled by the local esbuild (no
 * Docker), ESM, minified with source maps, X-Ray tracing, and a log group with retention.
 * Environment variables and the IAM grants they imply are set together (bindTable etc.).
 */
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as nodejs from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import type * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import type { FunctionDef } from "../../functions/routes.js";

export interface PrivacyFunctionProps {
  definition: FunctionDef;
  environment: Record<string, string>;
  logRetention: logs.RetentionDays;
}

export class PrivacyFunction extends Construct {
  readonly fn: nodejs.NodejsFunction;

  constructor(scope: Construct, id: string, props: PrivacyFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, "Logs", {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.fn = new nodejs.NodejsFunction(this, "Function", {
      entry: props.definition.entry,
      handler: "handler",
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.definition.memoryMb ?? 256,
      timeout: Duration.seconds(props.definition.timeoutSeconds ?? 10),
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      environment: { NODE_OPTIONS: "--enable-source-maps", ...props.environment },
      bundling: {
        forceDockerBundling: false,
        format: nodejs.OutputFormat.ESM,
        target: "node24",
        minify: true,
        sourceMap: true,
        mainFields: ["module", "main"],
        banner:
          "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
      },
    });
  }

  bindTable(table: dynamodb.ITableV2 | dynamodb.ITable): this {
    this.fn.addEnvironment("TABLE_NAME", table.tableName);
    table.grantReadWriteData(this.fn);
    return this;
  }

  bindBucket(bucket: s3.IBucket): this {
    this.fn.addEnvironment("BUCKET_NAME", bucket.bucketName);
    bucket.grantReadWrite(this.fn);
    return this;
  }
}
