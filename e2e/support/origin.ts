// The origin the e2e server answers on (playwright.config.ts: E2E_PORT, 3100
// by default), for flows that compare absolute URLs, links or Origin headers.
export const ORIGIN = `http://localhost:${Number(process.env.E2E_PORT ?? 3100)}`;
