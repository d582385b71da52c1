/** POST /officer/requests/{id}/notes — a private note. */
import { noteSchema } from "../domain/api-schemas.js";
import { apiHandler } from "../http/api-handler.js";
import { officerAddNote } from "../use-cases/officer.js";
import { deps } from "./wiring.js";

export const handler = apiHandler({ auth: "officer", body: noteSchema }, ({ id, actor, body }) =>
  officerAddNote(deps(), id, actor, body.text),
);
