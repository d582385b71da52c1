/**
 * What must survive a redeploy: the requests table, the document bucket and their key.
 *
 * Table access patterns (keys in functions/adapters/keys.ts, schema in table-definition.ts):
 * - request by id ............ GetItem  PK=REQ#<id>, SK=REQUEST
 * - open requests by SLA date  Query    GSI open-by-due: GSI1PK=OPEN, GSI1SK <= "<date>#~" (sparse:
 *                                       only open requests carry GSI1PK) — deadline scanner, queue
 * - requests by status ....... Query    GSI by-status: GSI2PK=STATUS#<status>, GSI2SK=<sla>#<id>
 * - idempotency key (also an inbound email's Message-ID), suppression list entry: GetItem / conditional PutItem
 * - a mail we sent → its request (reply threading) OUTMSG#…; an inbound mail that opened nothing
 *   (quarantined, dropped) INBOUND#…: PutItem / GetItem
 * Writes are single-item and conditional on `version`; closed requests expire via `expiresAt` (TTL).
 */
import { Duration, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as s3 from "aws-cdk-lib/aws-s3";
import type { Construct } from "constructs";
import { TABLE } from "../../functions/adapters/table-definition.js";
import type { DeploymentSettings } from "../settings.js";

export interface StatefulStackProps extends StackProps {
  settings: DeploymentSettings;
}

export class StatefulStack extends Stack {
  readonly key: kms.Key;
  readonly table: dynamodb.TableV2;
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { settings } = props;

    this.key = new kms.Key(this, "DataKey", {
      description: "Privacy Desk: requests table and documents",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // SES's receipt rule writes inbound mail into the bucket, whose default encryption is this key
    // (server-side: SES's own kmsKeyArn option would encrypt client-side, which only the S3
    // encryption client can read back). Only SES acting for this account.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal("ses.amazonaws.com")],
        actions: ["kms:GenerateDataKey*", "kms:Encrypt"],
        resources: ["*"],
        conditions: { StringEquals: { "aws:SourceAccount": this.account } },
      }),
    );

    const index = (
      name: string,
      partitionKey: string,
      sortKey: string,
    ): dynamodb.GlobalSecondaryIndexPropsV2 => ({
      indexName: name,
      partitionKey: { name: partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
    this.table = new dynamodb.TableV2(this, "Requests", {
      partitionKey: { name: TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(this.key),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      timeToLiveAttribute: TABLE.ttlAttribute,
      globalSecondaryIndexes: [
        index(
          TABLE.indexes.openByDue.name,
          TABLE.indexes.openByDue.partitionKey,
          TABLE.indexes.openByDue.sortKey,
        ),
        index(
          TABLE.indexes.byStatus.name,
          TABLE.indexes.byStatus.partitionKey,
          TABLE.indexes.byStatus.sortKey,
        ),
      ],
    });

    const accessLogs = new s3.Bucket(this, "AccessLogs", {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    this.bucket = new s3.Bucket(this, "Documents", {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: "documents/",
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: "inbound-mail",
          prefix: "inbound/",
          expiration: Duration.days(settings.inboundMailRetentionDays),
        },
        {
          id: "responses",
          prefix: "responses/",
          expiration: Duration.days(settings.retentionDays),
        },
        { id: "old-versions", noncurrentVersionExpiration: Duration.days(30) },
      ],
    });
  }
}
