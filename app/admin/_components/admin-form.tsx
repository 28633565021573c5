"use client";

// Every form of the console, driven by one table: each kind names its zod
// schema (the same one the server action parses with), its server action
// and its fields. react-hook-form checks the fields in the browser first;
// without JavaScript the form posts as is and the server answers the same.
import { zodResolver } from "@hookform/resolvers/zod";
import { type BaseSyntheticEvent, startTransition, useActionState } from "react";
import { type FieldValues, type Resolver, useForm } from "react-hook-form";
import type { z } from "zod";

import type { ActionState } from "@/lib/admin/operations";
import {
  appRefSchema,
  createAppSchema,
  updateAppSchema,
  cancelTicketSchema,
  cleanupSchema,
  createKeySchema,
  createProjectSchema,
  grantAdminSchema,
  keyRefSchema,
  sessionRefSchema,
  setDisabledSchema,
  updateProjectSchema,
  userRefSchema,
} from "@/lib/forms/admin";

import { adminAction } from "@/app/admin/actions";
import { CopyButton } from "@/app/_components/copy-button";

interface Field {
  name: string;
  label: string;
  type?: "text" | "email" | "textarea" | "number" | "checkbox";
  hint?: string;
  wide?: boolean;
  placeholder?: string;
}

interface Spec {
  schema: z.ZodType;
  fields: Field[];
  submit: string;
  pending: string;
}

const limitFields: Field[] = [
  { name: "maxLiveTickets", label: "Live tickets at most", type: "number" },
  { name: "maxPayloadBytes", label: "Payload bytes at most", type: "number" },
  { name: "defaultTtl", label: "Default ttl (seconds)", type: "number" },
];

const SPECS = {
  cancelTicket: {
    schema: cancelTicketSchema,
    fields: [{ name: "reason", label: "Reason (kept in the history; mailed to whoever asked for the link)", type: "textarea", wide: true, placeholder: "e.g. This request did not come from you; we cancelled the link." }],
    submit: "Cancel this ticket and mail the reason",
    pending: "Cancelling…",
  },
  cleanup: { schema: cleanupSchema, fields: [], submit: "Clean up now", pending: "Cleaning up…" },
  grantAdmin: { schema: grantAdminSchema, fields: [{ name: "email", label: "E-mail address", type: "email", placeholder: "name@example.com" }], submit: "Make administrator", pending: "Saving…" },
  removeAdmin: { schema: userRefSchema, fields: [], submit: "Remove administrator role", pending: "Saving…" },
  setDisabled: { schema: setDisabledSchema, fields: [], submit: "Save", pending: "Saving…" },
  revokeSession: { schema: sessionRefSchema, fields: [], submit: "Sign out", pending: "Signing out…" },
  createProject: {
    schema: createProjectSchema,
    fields: [{ name: "name", label: "Name", placeholder: "crm" }, ...limitFields],
    submit: "Create project and key",
    pending: "Creating…",
  },
  updateProject: {
    schema: updateProjectSchema,
    fields: [...limitFields, { name: "disabled", label: "Disabled (refuse every request)", type: "checkbox" }],
    submit: "Save limits",
    pending: "Saving…",
  },
  createKey: { schema: createKeySchema, fields: [{ name: "name", label: "New key's name (optional)", placeholder: "deploy 2026" }], submit: "Create key", pending: "Creating…" },
  revokeKey: { schema: keyRefSchema, fields: [], submit: "Revoke", pending: "Revoking…" },
  createApp: {
    schema: createAppSchema,
    fields: [
      { name: "name", label: "Name", placeholder: "Grafana" },
      { name: "redirectUris", label: "Redirect URIs (one per line, matched exactly)", type: "textarea", wide: true, placeholder: "https://grafana.example.com/login/generic_oauth" },
      { name: "postLogoutRedirectUris", label: "Addresses after sign-out (optional, one per line)", type: "textarea", wide: true, placeholder: "https://grafana.example.com/" },
      { name: "firstParty", label: "First-party: don't ask people to consent", type: "checkbox", wide: true },
      { name: "public", label: "Public (a browser or mobile app): no secret, PKCE required", type: "checkbox", wide: true },
    ],
    submit: "Register app",
    pending: "Registering…",
  },
  updateApp: {
    schema: updateAppSchema,
    fields: [
      { name: "redirectUris", label: "Redirect URIs (one per line, matched exactly)", type: "textarea", wide: true },
      { name: "postLogoutRedirectUris", label: "Addresses after sign-out (one per line)", type: "textarea", wide: true },
      { name: "firstParty", label: "First-party: don't ask people to consent", type: "checkbox", wide: true },
    ],
    submit: "Save",
    pending: "Saving…",
  },
  rotateAppSecret: { schema: appRefSchema, fields: [], submit: "New secret", pending: "Creating…" },
  deleteApp: { schema: appRefSchema, fields: [], submit: "Delete app", pending: "Deleting…" },
} satisfies Record<string, Spec>;

export type AdminFormKind = keyof typeof SPECS;

export function AdminForm({
  kind,
  hidden = {},
  defaults = {},
  submit,
  variant = "primary",
  confirm,
  compact = false,
  closed = false,
}: {
  kind: AdminFormKind;
  /** Fixed values (ids), posted as hidden fields and checked by the same schema. */
  hidden?: Record<string, string>;
  defaults?: Record<string, string | boolean>;
  submit?: string;
  variant?: "primary" | "secondary" | "danger" | "secondary-danger";
  /** Asks before sending. */
  confirm?: string;
  /** A single button on one line (tables). */
  compact?: boolean;
  /** The action no longer applies: show only the last answer, no fields or button. */
  closed?: boolean;
}) {
  const spec: Spec = SPECS[kind];
  const [state, formAction, pending] = useActionState<ActionState, FormData>(adminAction, { status: "idle" });
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<FieldValues>({ resolver: zodResolver(spec.schema as never) as unknown as Resolver<FieldValues>, defaultValues: { ...defaults, ...hidden } });

  const onValid = (_data: unknown, event?: BaseSyntheticEvent) => {
    if (confirm && !window.confirm(confirm)) return;
    const form = event?.target as HTMLFormElement;
    startTransition(() => formAction(new FormData(form)));
  };
  const textDefault = (name: string) => (typeof defaults[name] === "string" ? defaults[name] : undefined);
  const fieldError = (name: string) => (errors[name]?.message as string | undefined) ?? (state.status === "error" ? state.fieldErrors?.[name] : undefined);
  const hiddenErrors = Object.keys(hidden)
    .map(fieldError)
    .filter(Boolean);
  const buttonClass = { primary: "button", secondary: "button secondary", danger: "button danger", "secondary-danger": "button secondary danger" }[variant];
  const button = (
    <button type="submit" className={`${buttonClass}${compact ? " small" : ""}`} disabled={pending}>
      {pending ? spec.pending : (submit ?? spec.submit)}
    </button>
  );
  const message =
    state.status === "idle" ? null : (
      <p role={state.status === "error" ? "alert" : "status"} className={`notice ${state.status === "error" ? "error" : "ok"}${compact ? " small" : ""}`}>
        {state.message}
      </p>
    );

  if (closed) return message;
  // Short forms keep their button on the fields' row; a form with a text area puts it below.
  const inline = !compact && spec.fields.length > 0 && !spec.fields.some((field) => field.wide);

  return (
    <form action={formAction} onSubmit={handleSubmit(onValid)} noValidate className={compact ? "inline-form" : "admin-form"} data-form={kind}>
      {/* Which operation: one action serves every console form (app/admin/actions.ts). */}
      <input type="hidden" name="operation" value={kind} />
      {/* Values are written into the HTML: without JavaScript, register() never fills them in. */}
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" defaultValue={value} {...register(name)} />
      ))}
      {spec.fields.length > 0 ? (
        <div className={inline ? "form-grid inline" : "form-grid"}>
          {spec.fields.map((field) => {
            const id = `${kind}-${hidden.projectId ?? hidden.ticketId ?? hidden.clientId ?? ""}-${field.name}`;
            const error = fieldError(field.name);
            const described = error ? `${id}-error` : undefined;
            if (field.type === "checkbox") {
              return (
                <div key={field.name} className={`field check${field.wide ? " wide" : ""}`}>
                  <input id={id} type="checkbox" defaultChecked={defaults[field.name] === true} {...register(field.name)} />
                  <label htmlFor={id}>{field.label}</label>
                </div>
              );
            }
            return (
              <div key={field.name} className={`field${field.wide ? " wide" : ""}`}>
                <label htmlFor={id}>{field.label}</label>
                {field.type === "textarea" ? (
                  <textarea id={id} placeholder={field.placeholder} defaultValue={textDefault(field.name)} aria-invalid={error ? true : undefined} aria-describedby={described} {...register(field.name)} />
                ) : (
                  <input
                    id={id}
                    type={field.type === "email" ? "email" : "text"}
                    inputMode={field.type === "number" ? "numeric" : undefined}
                    autoComplete="off"
                    placeholder={field.placeholder}
                    defaultValue={textDefault(field.name)}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={described}
                    {...register(field.name)}
                  />
                )}
                {error ? (
                  <p id={`${id}-error`} className="field-error">
                    {error}
                  </p>
                ) : null}
              </div>
            );
          })}
          {inline ? <div className="submit-cell">{button}</div> : null}
        </div>
      ) : null}
      {compact ? (
        <>
          {button}
          {message}
        </>
      ) : inline ? null : (
        <div className="row">{button}</div>
      )}
      {!compact ? message : null}
      {hiddenErrors.length > 0 && state.status !== "error" ? <p className="field-error">{hiddenErrors[0]}</p> : null}
      {state.status === "ok" && state.clientSecret ? (
        <div className="secret" data-new-secret>
          <strong>The client secret — copy it now, it will not be shown again:</strong>
          <code>{state.clientSecret.secret}</code>
          <CopyButton text={state.clientSecret.secret} label="Copy secret" />
          <span className="muted small">Client id {state.clientSecret.clientId}. The secret is stored encrypted; if it is lost, give the app a new one.</span>
        </div>
      ) : null}
      {state.status === "ok" && state.key ? (
        <div className="secret" data-new-key>
          <strong>The new API key — copy it now, it will not be shown again:</strong>
          <code>{state.key}</code>
          <span className="muted small">Only its SHA-256 is stored. Lost keys cannot be recovered; create a new one and revoke the old.</span>
        </div>
      ) : null}
    </form>
  );
}
