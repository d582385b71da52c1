/**
 * One client per AWS service, created once per Lambda container. Endpoints come from the SDK's
 * own AWS_ENDPOINT_URL_<SERVICE> variables, which is how the local emulators are reached with no
 * code difference. Timeouts are explicit: an emulator that hangs must not hang a handler.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { SFNClient } from "@aws-sdk/client-sfn";

const requestHandler = { connectionTimeout: 3_000, requestTimeout: 10_000 };

let dynamodb: DynamoDBClient | undefined;
let sfn: SFNClient | undefined;
let ses: SESv2Client | undefined;
let s3: S3Client | undefined;

export const dynamoDbClient = () => (dynamodb ??= new DynamoDBClient({ requestHandler }));
export const sfnClient = () => (sfn ??= new SFNClient({ requestHandler }));
export const sesClient = () => (ses ??= new SESv2Client({ requestHandler }));
export const s3Client = () =>
  (s3 ??= new S3Client({
    requestHandler,
    forcePathStyle: process.env.S3_FORCE_PATH_STYLE === "true",
  }));
