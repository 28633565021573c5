import Link from "next/link";

export default function HomePage() {
  return (
    <div className="card">
      <h1>Sign in without a password</h1>
      <p className="lead">
        Ticketgate mails you a one-time link. Open it, press the button, and you are signed in — on the page the link promised.
      </p>
      <ul className="features">
        <li>Links survive mail scanners: opening a link never spends it, only your button press does.</li>
        <li>Every link can be used exactly as many times as it says, even under load.</li>
        <li>An expired or used link tells you what happened and offers a fresh one.</li>
        <li>Other systems hand users over through the same tickets with a JSON API.</li>
      </ul>
      <div className="actions">
        <Link className="button" href="/login">
          Sign in
        </Link>
        <Link className="button secondary" href="/signup">
          Create an account
        </Link>
      </div>
    </div>
  );
}
