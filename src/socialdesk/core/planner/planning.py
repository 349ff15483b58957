"""Plan leverage for a post: the model's inputs from the workspace (or a file), the model run.

:func:`post_model` is where a stored post's plan comes from, whichever face asks: the
command line (``socialdesk plan POST_ID``, through :func:`plan_post`) and the Planner
view both rank the partners through it, and total a choice of asks from its terms.

Asks made for the post being planned never tire a partner for it (DESIGN.md, share
probability): the planner shows what asking them for this post is worth, so a partner
asked for it yesterday does not drop to a zero likelihood the moment the ask is made.
Their outcomes still count (k and n), so a recorded share raises the likelihood at once.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from socialdesk.core.planner import leverage, track_record
from socialdesk.core.planner.leverage import FATIGUE_WINDOW_DAYS, AudienceInput, PartnerEstimate
from socialdesk.core.settings import workspace_settings
from socialdesk.store import asks, planning
from socialdesk.store.read_beside import read_beside
from socialdesk.store.workspace import Workspace

if TYPE_CHECKING:
    import numpy as np

    from socialdesk.core.planner.cascade import CascadeModel
    from socialdesk.core.planner.graph import PartnerLinks
    from socialdesk.core.planner.partner_columns import PartnerColumns
    from socialdesk.core.planner.ranking import Ranking
    from socialdesk.core.planner.scenario import Scenario

MIN_SUGGESTED_P = 0.01  # a chance shown below 1%: never suggested (see not_suggested)


@dataclass(frozen=True, slots=True)
class WorkspaceModel:
    """The model's inputs that do not depend on the post, as of ``today``."""

    today: date
    partners: PartnerColumns  # fatigue from each partner's last ask of all
    last_asked_on: Sequence[str | None]  # each partner's last ask (ISO date), by position
    channels: tuple[AudienceInput, ...]
    links: PartnerLinks  # between the partners, as arrays
    params: leverage.ModelParams


def model_params(ws: Workspace, between: Callable[[], object] | None = None
                 ) -> leverage.ModelParams:
    """The leverage parameters stored in (or defaulted for) the workspace.

    When switched on, the recalibration fitted from the track record (once 30 asks are
    resolved) and the reach rates learned from own posts (platforms with 5 posts) replace
    the identity and the set rates. ``between``: as :func:`workspace_model`'s.
    """
    s = workspace_settings(ws)
    rates = dict(s["reach_rates"])
    if s["learned_rates_on"]:
        rates.update({platform: learned.rate for platform, learned
                      in track_record.workspace_learned_rates(ws).items()
                      if learned.rate is not None})
    alpha, beta = 0.0, 1.0
    if s["calibration_on"]:
        fitted = track_record.calibration(ws, s, between=between)
        if fitted.active:
            alpha, beta = fitted.alpha, fitted.beta
    return leverage.ModelParams(
        universe=s["universe"], cross_platform=s["cross_platform"], reshare=s["reshare"],
        fatigue_days=s["fatigue_days"], reach_rates=rates,
        extra_platforms=s["extra_platforms"], max_hops=s["max_hops"],
        prior_a=s["prior_a"], prior_b=s["prior_b"],
        calibration_alpha=alpha, calibration_beta=beta,
    )


def days_since(today: date, iso: str | None) -> int | None:
    """Whole days from an ISO date to ``today`` (None for no date)."""
    return (today - date.fromisoformat(iso)).days if iso else None


def workspace_model(ws: Workspace, today: date, with_links: bool = True,
                    between: Callable[[], object] | None = None) -> WorkspaceModel:
    """Read the partners, own channels, links (unless not wanted) and settings.

    ``between`` is called between the reads and between parts of their rows (a few tens
    of milliseconds apart on a huge workspace): a read on a worker stops there when its
    view was left. What is read is the same with or without it.
    """
    from socialdesk.core.planner import graph, input_cache  # numpy: only when it is needed
    from socialdesk.core.planner.partner_columns import PartnerColumns

    step = between or (lambda: None)
    # The settings and the recalibration (a quarter of a second of reading on the huge
    # workspace when not kept) are read beside the partners, on a connection of their own.
    with read_beside(ws, model_params) as params_read:
        rows = input_cache.partner_rows(ws, between)
        step()
        partners = PartnerColumns.from_rows(rows, today)
        step()
        channels = tuple(AudienceInput(p, f) for p, f in planning.own_channels(ws))
        links = graph.partner_links(ws) if with_links else graph.PartnerLinks.empty()
        step()
        params = params_read()
    return WorkspaceModel(today=today, partners=partners, last_asked_on=rows.last_asked_on,
                          channels=channels, links=links, params=params)


def for_post(partners: PartnerColumns, last_other_asks: Mapping[int, str | None],
             today: date) -> PartnerColumns:
    """The partners with the post's fatigue rule.

    Those asked for the post (``last_other_asks``, from ``store.planning.last_other_asks``)
    tire from their other asks only.
    """
    return partners.with_days({str(cid): days_since(today, iso)
                               for cid, iso in last_other_asks.items()})


@dataclass(frozen=True)
class PostModel:
    """One stored post's partners in the model's terms, ranked: any choice is totalled here."""

    post: planning.PostFacts
    base: WorkspaceModel
    partners: PartnerColumns  # with the post's fatigue rule
    last_other_asks: Mapping[int, str | None]  # the partners asked for the post
    post_input: leverage.PostInput
    ranking: Ranking  # every partner's figures, best added reach first

    @property
    def own_reach(self) -> float:
        """``R(∅)``."""
        return self.ranking.alone

    @property
    def x0(self) -> float:
        """``x_0``: the share of the universe the own channels reach."""
        return self.ranking.x0

    @property
    def ranked(self) -> Sequence[PartnerEstimate]:
        """Every partner's estimate, best added reach first (each made when looked at)."""
        return self.ranking.ranked

    @property
    def terms(self) -> dict[str, float]:
        """``p_c · x_c`` per partner."""
        return self.ranking.terms

    def plan(self, budget_minutes: float | None = 60, max_asks: int | None = None,
             chosen_ids: Collection[str] | None = None, runs: int = 0,
             seed: int = 1, skip: Collection[str] = ()) -> leverage.Plan:
        """The asks chosen for the budget (or ``max_asks``, or ``chosen_ids``) and their reach.

        ``skip``: partners never chosen (see :func:`not_suggested`). With ``runs`` > 0 the
        plan includes the Monte Carlo range with reshares.
        """
        result = self.ranking.plan(budget_minutes, max_asks, chosen_ids, skip)
        if runs <= 0:
            return result
        summary = self.cascade().run([e.id for e in result.chosen], runs, seed)
        return dataclasses.replace(result, cascade=summary)

    def marginal_reach(self, chosen_ids: Collection[str], partner_id: str) -> float:
        """What the partner adds to the reach of the chosen asks (in or out of them)."""
        return leverage.marginal_reach(self.x0, self.terms, chosen_ids, partner_id,
                                       self.base.params.universe)

    def cascade_near(self, ws: Workspace, asked: Collection[str],
                     every_link: Callable[[], np.ndarray] | None = None) -> CascadeModel:
        """The Monte Carlo model for these asks, with only the links they can take read.

        Those within ``max_hops`` − 1 links of the asks (``graph.links_near``): the same
        runs as with every link, without reading 500,000 of them. ``every_link``: every
        link already being read (``store.planning.link_rows``), for a large neighbourhood.
        """
        import numpy as np

        from socialdesk.core.planner import graph  # numpy: only when it is needed

        ids = self.partners.ids
        partners = np.fromiter(map(int, ids), dtype=np.int64, count=len(ids))
        hops = min(leverage.MAX_HOPS, max(1, int(self.base.params.max_hops))) - 1
        return self.cascade(graph.links_near(ws, partners, map(int, asked), hops, every_link))

    def cascade(self, links: PartnerLinks | None = None) -> CascadeModel:
        """The Monte Carlo model with reshares along links, ready for any set of asks.

        ``links``: instead of the workspace model's (see :func:`plan_post`).
        """
        import numpy as np

        from socialdesk.core.planner.cascade import CascadeModel  # numpy: only when it is needed
        from socialdesk.core.planner.partner_columns import share_likelihoods

        base, params, ranking = self.base, self.base.params, self.ranking
        # The ranking's p and E_c, as CascadeModel.for_post would work them out again.
        return CascadeModel(
            ids=self.partners.ids, p=ranking.p, q=share_likelihoods(self.partners, params),
            x=np.minimum(1.0, ranking.reach / params.universe), x0=ranking.x0,
            universe=params.universe, links=base.links if links is None else links,
            reshare=params.reshare,
            max_hops=params.max_hops)


def post_partners(ws: Workspace, post_id: int, base: WorkspaceModel
                  ) -> tuple[planning.PostFacts, PartnerColumns, dict[int, str | None]]:
    """The stored post, its partners (fatigue rule applied) and their last other asks.

    The last other asks are those of the partners asked for the post. Raises LookupError
    for a missing post.
    """
    post = planning.post_facts(ws, post_id)
    if post is None:
        raise LookupError(f"There is no post {post_id} in this workspace.")
    others = planning.last_other_asks(ws, post_id)
    return post, for_post(base.partners, others, base.today), others


def post_model(ws: Workspace, post_id: int, base: WorkspaceModel) -> PostModel:
    """Rank every partner for a stored post; raises LookupError for a missing post."""
    from socialdesk.core.planner.ranking import rank

    post, partners, others = post_partners(ws, post_id, base)
    post_input = leverage.PostInput(topics=post.topics, platforms=post.platforms)
    return PostModel(post=post, base=base, partners=partners, last_other_asks=others,
                     post_input=post_input,
                     ranking=rank(partners, base.channels, post_input, base.params))


def post_scenario(
    ws: Workspace,
    post_id: int,
    today: date | None = None,
    *,
    budget_minutes: float | None = 60,
    max_asks: int | None = None,
    runs: int = 2000,
    seed: int = 1,
    with_links: bool = True,
) -> tuple[planning.PostFacts, Scenario]:
    """The stored post and the scenario for it; raises LookupError for a missing post."""
    from socialdesk.core.planner.scenario import Scenario  # not needed to plan a post

    base = workspace_model(ws, today or date.today(), with_links)
    post, partners, _ = post_partners(ws, post_id, base)
    scenario = Scenario(
        params=base.params,
        post=leverage.PostInput(topics=post.topics, platforms=post.platforms),
        own_channels=base.channels, partners=partners,
        links=base.links,
        budget_minutes=budget_minutes, max_asks=max_asks, runs=runs, seed=seed,
    )
    return post, scenario


def plan_scenario(scenario: Scenario, chosen_ids: Collection[str] | None = None) -> leverage.Plan:
    """Rank the partners and choose the asks (or take ``chosen_ids``).

    When the scenario asks for runs, the plan includes the Monte Carlo range with the
    second hop (reshares along links).
    """
    from socialdesk.core.planner.ranking import plan

    result = plan(
        scenario.partners, scenario.own_channels, scenario.post, scenario.params,
        budget_minutes=scenario.budget_minutes, max_asks=scenario.max_asks,
        chosen_ids=chosen_ids,
    )
    if scenario.runs <= 0:
        return result
    from socialdesk.core.planner.cascade import CascadeModel  # numpy: only when it is needed

    model = CascadeModel.for_post(scenario.partners, scenario.links, scenario.own_channels,
                                  scenario.post, scenario.params)
    summary = model.run([e.id for e in result.chosen], scenario.runs, scenario.seed)
    return dataclasses.replace(result, cascade=summary)


def plan_post(
    ws: Workspace,
    post_id: int,
    today: date | None = None,
    budget_minutes: float | None = 60,
    max_asks: int | None = None,
    runs: int = 0,
    seed: int = 1,
    chosen_ids: Collection[str] | None = None,
) -> tuple[planning.PostFacts, leverage.Plan]:
    """The leverage plan for one post; raises LookupError when the post does not exist.

    With ``runs`` > 0 the plan includes the Monte Carlo range: the links it can take
    (those within ``max_hops`` − 1 links of the chosen asks) are read for it, not every
    link: the same runs as with all of them.
    """
    day = today or date.today()
    # Reshares over three hops or more reach most partners from a few asks: every link is
    # then read beside the partners (a quarter of a second on the huge workspace).
    with (read_beside(ws, planning.link_rows)
          if runs > 0 and int(workspace_settings(ws)["max_hops"]) >= 3
          else contextlib.nullcontext(None)) as every_link:
        model = post_model(ws, post_id, workspace_model(ws, day, with_links=False))
        skip = not_suggested(ws, post_id, model.ranking, day) if chosen_ids is None else set()
        result = model.plan(budget_minutes, max_asks, chosen_ids, skip=skip)
        if runs <= 0:
            return model.post, result
        asked = [e.id for e in result.chosen]
        summary = model.cascade_near(ws, asked, every_link).run(asked, runs, seed)
    return model.post, dataclasses.replace(result, cascade=summary)


def not_suggested(ws: Workspace, post_id: int, ranking: Ranking, today: date) -> set[str]:
    """The partners the planner never suggests for a post (the user may still choose them).

    Those asked for other posts more than the warning count (Settings → Asks) in the
    last 30 days, whom the planner warns about, and those whose chance shows below 1%.
    """
    limit = int(workspace_settings(ws)["ask_warning_count"])
    recent = asks.recent_ask_counts(ws, today.isoformat(), FATIGUE_WINDOW_DAYS)
    since = (today - timedelta(days=FATIGUE_WINDOW_DAYS)).isoformat()
    for ask in asks.asks_for_post(ws, post_id):  # this post's asks are no new ask
        if since < ask.asked_on <= today.isoformat():
            recent[ask.contact_id] = recent.get(ask.contact_id, 0) - 1
    ids, index = ranking.partners.ids, ranking.partners.position
    unlikely = {ids[i] for i in (ranking.p < MIN_SUGGESTED_P).nonzero()[0].tolist()}
    return unlikely | {str(cid) for cid, count in recent.items()
                       if count > limit and str(cid) in index}
