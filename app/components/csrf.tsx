import { Form, type FormProps } from "@remix-run/react";
import { forwardRef } from "react";
import { CSRF_FIELD } from "~/domain/csrf";
import { useRootData } from "~/root";

export function CsrfInput() {
  return <input type="hidden" name={CSRF_FIELD} value={useRootData().csrfToken} />;
}

/** A Remix Form that always carries the CSRF token the server demands on every POST. */
export const SafeForm = forwardRef<HTMLFormElement, FormProps>(function SafeForm({ children, ...props }, ref) {
  return (
    <Form method="post" {...props} ref={ref}>
      <CsrfInput />
      {children}
    </Form>
  );
});
