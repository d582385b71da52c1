/** POST /officer/requests/{id}/extension — extend, with the notice the law requires. */
import { extensionSchema } from "../domain/api-schemas.js";
import { apiHandler } from "../http/api-handler.js";
import { officerExtend } from "../use-cases/officer.js";
import { deps } from "./wiring.js";

export const handler = apiHandler(
  { auth: "officer", body: extensionSchema },
  ({ id, actor, body }) => officerExtend(deps(), id, actor, body),
);
