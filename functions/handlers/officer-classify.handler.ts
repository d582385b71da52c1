/** POST /officer/requests/{id}/classification — what an email request is, and where. */
import { classificationSchema } from "../domain/api-schemas.js";
import { apiHandler } from "../http/api-handler.js";
import { officerClassify } from "../use-cases/officer.js";
import { deps } from "./wiring.js";

export const handler = apiHandler(
  { auth: "officer", body: classificationSchema },
  ({ id, actor, body }) => officerClassify(deps(), id, actor, body),
);
