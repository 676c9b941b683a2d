/** Form field and header that carry the CSRF token; shared by the forms and the server check. */
export const CSRF_FIELD = "_csrf";
export const CSRF_HEADER = "x-csrf-token";
