import { Link } from "react-router-dom";

import { RelativeTime } from "@/components/ui/RelativeTime";
import { graphql } from "@/gql";
import type { AlertFieldsFragment } from "@/gql/graphql";

import "./alerts.css";

// What a page asks for each alert it lists.
graphql(`
  fragment AlertFields on Alert {
    id
    kind
    subject
    message
    openedAt
    closedAt
    product {
      id
      name
      sku
    }
  }
`);

export type AlertSummary = AlertFieldsFragment;

const KINDS = { LOW_STOCK: "Low stock", JOB_FAILED: "Job failed" } as const;

/** The job a JOB_FAILED alert is about (its subject is job:<name>). */
export function jobOf(alert: Pick<AlertSummary, "subject">): string {
  return alert.subject.replace(/^job:/, "");
}

export interface AlertItemProps {
  alert: AlertSummary;
  timezone: string;
  /** Link a failed job to the System page (admins, who may see the jobs). */
  linkJobs: boolean;
  /** On one line, the message cut to the space left (a card's list). */
  compact?: boolean;
}

const kindClass = (alert: Pick<AlertSummary, "kind">) =>
  alert.kind === "LOW_STOCK" ? "low-stock" : "job-failed";

/** The alert's kind, as a tag in words ("Low stock"). */
export function AlertKind({ alert }: { alert: Pick<AlertSummary, "kind"> }) {
  return <span className={`alert-kind alert-kind--${kindClass(alert)}`}>{KINDS[alert.kind]}</span>;
}

/** The kind in words, for an export. */
export const alertKindLabel = (alert: Pick<AlertSummary, "kind">) => KINDS[alert.kind];

/** One alert: what it is about (a product links to its page), what was said, since when. */
export function AlertItem({ alert, timezone, linkJobs, compact = false }: AlertItemProps) {
  if (compact) {
    return (
      <li className={`alert-item alert-item--compact alert-item--${kindClass(alert)}`}>
        <AlertKind alert={alert} />
        <AlertSubject alert={alert} linkJobs={linkJobs} />
        <span className="alert-item__message">{alert.message}</span>
        <span className="alert-item__time">
          <RelativeTime at={alert.openedAt} timezone={timezone} />
        </span>
      </li>
    );
  }
  return (
    <li className={`alert-item alert-item--${kindClass(alert)}`}>
      <p className="alert-item__head">
        <AlertKind alert={alert} />
        <AlertSubject alert={alert} linkJobs={linkJobs} />
      </p>
      <p className="alert-item__message">{alert.message}</p>
      <p className="alert-item__time">
        Opened <RelativeTime at={alert.openedAt} timezone={timezone} />
        {alert.closedAt && (
          <>
            , closed <RelativeTime at={alert.closedAt} timezone={timezone} />
          </>
        )}
      </p>
    </li>
  );
}

/** What the alert is about: the product (a link to its page) or the job. */
export function AlertSubject({ alert, linkJobs }: Omit<AlertItemProps, "timezone">) {
  if (alert.kind === "LOW_STOCK") {
    return alert.product ? (
      <span>
        <Link className="alert-item__subject" to={`/products/${alert.product.id}`}>
          {alert.product.name}
        </Link>{" "}
        <span className="alert-item__sku">({alert.product.sku})</span>
      </span>
    ) : (
      <span className="alert-item__subject">{alert.subject}</span>
    );
  }
  const job = jobOf(alert);
  return linkJobs ? (
    <Link className="alert-item__subject" to="/system">
      Job {job}
    </Link>
  ) : (
    <span className="alert-item__subject">Job {job}</span>
  );
}
