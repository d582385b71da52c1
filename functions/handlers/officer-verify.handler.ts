/** POST /officer/requests/{id}/verification — manual identity decision. */
import { officerVerificationSchema } from "../domain/api-schemas.js";
import { apiHandler } from "../http/api-handler.js";
import { officerVerify } from "../use-cases/officer.js";
import { deps } from "./wiring.js";

export const handler = apiHandler(
  { auth: "officer", body: officerVerificationSchema },
  ({ id, actor, body }) => officerVerify(deps(), id, actor, body),
);
