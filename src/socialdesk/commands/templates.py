"""``socialdesk templates``: the workspace's post templates (made in the calendar)."""

from __future__ import annotations

import argparse

from socialdesk.commands.common import add_workspace_option, print_json, reading, workspace_path


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``templates``."""
    parser = commands.add_parser("templates", help="list the post templates")
    parser.add_argument("--json", action="store_true", help="print the templates as JSON")
    add_workspace_option(parser)
    parser.set_defaults(run=run_templates)


def run_templates(args: argparse.Namespace) -> int:
    """List the templates with their channels, topics and campaign."""
    from socialdesk.store import post_templates, posts

    with reading(workspace_path(args)) as ws:
        templates = post_templates.list_templates(ws)
        campaigns = {c.id: c.name for c in posts.campaigns(ws)}
    rows = [{
        "name": t.name, "title": t.title, "body": t.body, "link": t.link,
        "campaign": campaigns.get(t.campaign_id) if t.campaign_id is not None else None,
        "channels": [{"platform": platform, "text": text} for platform, text in t.channels],
        "topics": list(t.topics),
    } for t in templates]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("No post templates yet: in the calendar, open a post and choose More → Save as "
              "template….")
    for row in rows:
        details = [", ".join(c["platform"] for c in row["channels"]) or "no channel"]
        if row["campaign"]:
            details.append(f"campaign {row['campaign']}")
        if row["topics"]:
            details.append("topics " + ", ".join(row["topics"]))
        print(f"{row['name']}: {row['title'] or '(no title)'} ({'; '.join(details)})")
    return 0
