// Small pieces every form repeats: a field's error under it, tied to the
// field for screen readers, and an answer at the top of the form.

/** Props that tie a field to its error message (see FieldError). */
export function describedBy(id: string, error: string | null | undefined) {
  return { "aria-invalid": error ? true : undefined, "aria-describedby": error ? id : undefined };
}

/** The error under a field; nothing when there is none. */
export function FieldError({ id, error }: { id: string; error: string | null | undefined }) {
  if (!error) return null;
  return (
    <p id={id} role="alert" className="error">
      {error}
    </p>
  );
}

/** A form's answer that is not about one field. */
export function FormNotice({ message, tone = "error" }: { message: string | null | undefined; tone?: "ok" | "error" }) {
  if (!message) return null;
  return (
    <p role={tone === "error" ? "alert" : "status"} className={`notice ${tone}`}>
      {message}
    </p>
  );
}
