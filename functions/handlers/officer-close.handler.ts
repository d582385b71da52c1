/** POST /officer/requests/{id}/close — close with an outcome. */
import { closeSchema } from "../domain/api-schemas.js";
import { apiHandler } from "../http/api-handler.js";
import { officerClose } from "../use-cases/officer.js";
import { deps } from "./wiring.js";

export const handler = apiHandler({ auth: "officer", body: closeSchema }, ({ id, actor, body }) =>
  officerClose(deps(), id, actor, body),
);
