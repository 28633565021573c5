// A browser named the way people name theirs ("Chrome on Linux", "Safari on
// iPhone"), from its User-Agent by a maintained parser (bowser, MIT). Pages
// show this, never the raw header: it is long, cut mid-word, and means
// nothing to most people.
import Bowser from "bowser";

// Names the parser knows. For a header it cannot place it falls back to the
// header's first token, which may be anything the client sent.
const BROWSERS = new Set<string>(Object.values(Bowser.BROWSER_MAP));
const SYSTEMS = new Set<string>(Object.values(Bowser.OS_MAP));

/** What to say when the header tells nothing useful (a script, a scanner, none at all). */
export const UNKNOWN_BROWSER = "an unknown browser";

export function describeUserAgent(userAgent: string | null | undefined): string {
  const header = userAgent?.trim();
  if (!header) return UNKNOWN_BROWSER;
  const parsed = Bowser.getParser(header);
  const browser = BROWSERS.has(parsed.getBrowserName()) ? parsed.getBrowserName() : "";
  const os = SYSTEMS.has(parsed.getOSName()) ? parsed.getOSName() : "";
  const model = parsed.getPlatform().model;
  // Scanners and test robots run headless browsers; say so, it matters to someone reading their history.
  const name = browser && /\bHeadless/i.test(header) ? `${browser} (headless)` : browser;
  // "on iPhone" reads better than "on iOS" for the phones people hold.
  const where = model === "iPhone" || model === "iPad" ? model : os;
  if (name && where) return `${name} on ${where}`;
  if (name) return name;
  if (where) return `a browser on ${where}`;
  return UNKNOWN_BROWSER;
}
