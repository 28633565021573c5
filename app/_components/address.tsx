// An e-mail address on a page, in full or masked (lib/forms/email.ts maskEmail).
// It never wraps inside its local part or its domain: a line may break only
// before the @ (browsers otherwise break after a hyphen, "ada-" / "lovelace").
// The two parts are inline, not boxes: boxes would be read "ada @example.com"
// and copied with a space. The whole address is in the title. Plain markup,
// so server and client components render it alike.
import { Fragment, type HTMLAttributes } from "react";

/**
 * `email` as one address that does not wrap but before its @. `after`: the
 * punctuation that follows it in the sentence, kept on its line (a comma
 * alone at the start of the next one reads badly). `oneLine`: no break at
 * all, for a table cell (the break opportunity is left out, not hidden by
 * CSS: a hidden element between the parts would be read as a space).
 * `rest`: data-* attributes.
 */
export function Address({ email, after = "", oneLine = false, ...rest }: { email: string; after?: string; oneLine?: boolean } & Omit<HTMLAttributes<HTMLSpanElement>, "children" | "title" | "className">) {
  const at = email.lastIndexOf("@");
  return (
    <span className="address" title={email} {...rest}>
      {at > 0 ? (
        <>
          <span>{email.slice(0, at)}</span>
          {oneLine ? null : <wbr />}
          <span>
            {email.slice(at)}
            {after}
          </span>
        </>
      ) : (
        <span>
          {email}
          {after}
        </span>
      )}
    </span>
  );
}

/** `text` with each occurrence of `email` rendered as an Address (a sentence built as a string elsewhere). */
export function WithAddress({ text, email }: { text: string; email: string | null }) {
  if (!email || !text.includes(email)) return <>{text}</>;
  const parts = text.split(email);
  return (
    <>
      {parts.map((part, i) => {
        // The punctuation right after the address stays with it.
        const after = i > 0 ? (/^[,.;:!?)]+/.exec(part)?.[0] ?? "") : "";
        return (
          <Fragment key={i}>
            {i > 0 ? <Address email={email} after={after} /> : null}
            {part.slice(after.length)}
          </Fragment>
        );
      })}
    </>
  );
}
