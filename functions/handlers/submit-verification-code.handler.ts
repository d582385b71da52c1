/** POST /requests/{id}/verification — the emailed one-time code. */
import { verificationCodeSchema } from "../domain/api-schemas.js";
import { apiHandler } from "../http/api-handler.js";
import { submitVerificationCode } from "../use-cases/requester.js";
import { deps } from "./wiring.js";

export const handler = apiHandler(
  { auth: "status-token", body: verificationCodeSchema },
  ({ id, statusToken, body }) => submitVerificationCode(deps(), id, statusToken, body.code),
);
