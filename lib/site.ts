// Words the whole site shares, so pages that must look alike (every 404) say the same.

/** The title of the site's one 404 page (app/not-found.tsx), which non-administrators also get at /admin. */
export const NOT_FOUND_TITLE = "Page not found";
