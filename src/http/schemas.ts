import { Type } from 'typebox';

/** The one error shape of the whole API. */
export const ErrorJson = Type.Object({ error: Type.Object({ code: Type.String(), message: Type.String() }) });
