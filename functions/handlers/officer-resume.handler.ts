/** POST /officer/requests/{id}/resume — restart the clock. */
import { emptySchema } from "../domain/api-schemas.js";
import { apiHandler } from "../http/api-handler.js";
import { officerResume } from "../use-cases/officer.js";
import { deps } from "./wiring.js";

export const handler = apiHandler({ auth: "officer", body: emptySchema }, ({ id, actor }) =>
  officerResume(deps(), id, actor),
);
