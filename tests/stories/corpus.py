"""Short multi-outlet articles written for these tests (fictional places and people)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from summariser.types import Article

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _a(id: str, outlet: str, hours: float, title: str, text: str) -> Article:
    return Article(
        id=id,
        title=title,
        text=text,
        outlet=outlet,
        url=f"https://{outlet.lower().replace(' ', '')}.example/{id}",
        published=T0 + timedelta(hours=hours),
    )


BRIDGE = [
    _a(
        "bridge-1",
        "Kellan Post",
        0,
        "Cargo ship strikes Kellan harbour bridge, span closed",
        "A cargo ship, the Northern Star, struck the Kellan harbour bridge early on Monday, "
        "forcing the city to close the span to all traffic. Harbour master Ines Duro said the "
        "vessel lost power shortly after leaving the container terminal. Nobody was hurt, "
        "police said. Engineers from Kellan City Council are inspecting the damaged pier.",
    ),
    _a(
        "bridge-2",
        "Coastal Herald",
        1.5,
        "Kellan bridge shut after Northern Star collision",
        "The Kellan harbour bridge will stay closed for at least a week after the freighter "
        "Northern Star hit one of its piers, Kellan City Council said on Monday. Harbour master "
        "Ines Duro said the ship had suffered a total loss of power. Commuters face long "
        "detours around the harbour while engineers assess the damage.",
    ),
    _a(
        "bridge-3",
        "Wire Service",
        3,
        "Freighter hits bridge in Kellan; engineers inspect damaged pier",
        "Engineers were inspecting a pier of the Kellan harbour bridge on Monday after the "
        "cargo ship Northern Star struck it. Ines Duro, the harbour master, said the crew had "
        "reported a power failure minutes before the collision. The bridge carries about "
        "40,000 vehicles a day.",
    ),
]

RATES_HELD = [
    _a(
        "rates-held-1",
        "Money Daily",
        5,
        "Bank of Tarsia holds interest rate at 4.25%",
        "The Bank of Tarsia kept its main interest rate at 4.25% on Monday, saying inflation "
        "was still too high to cut borrowing costs. Governor Mira Sallow said the committee "
        "voted seven to two to hold. Markets had expected no change.",
    ),
    _a(
        "rates-held-2",
        "Coastal Herald",
        6,
        "Tarsia central bank leaves rates unchanged",
        "Tarsia's central bank left interest rates on hold at 4.25%, as expected. Governor Mira "
        "Sallow said the Bank of Tarsia wanted more evidence that inflation was falling before "
        "it would cut. Two members of the committee voted for a cut.",
    ),
]

RATES_RAISED = [
    _a(
        "rates-raised-1",
        "Money Daily",
        24 * 45,
        "Bank of Tarsia raises interest rate to 4.5%",
        "The Bank of Tarsia raised its main interest rate to 4.5% on Thursday after inflation "
        "rose unexpectedly. Governor Mira Sallow said the committee voted six to three for the "
        "increase. Markets had priced in a hold.",
    ),
]

MATCH = [
    _a(
        "match-1",
        "Sports Desk",
        8,
        "Riverside United beat Hollow Town 3-1 to win the cup",
        "Riverside United won the county cup on Monday night, beating Hollow Town 3-1 at the "
        "Old Mill ground. Striker Tomas Rehn scored twice. Hollow Town manager Petra Vance said "
        "her side had been second best all evening.",
    ),
    _a(
        "match-2",
        "Kellan Post",
        9,
        "Rehn double sends Riverside past Hollow Town in cup final",
        "Tomas Rehn scored two goals as Riverside United beat Hollow Town 3-1 in the county cup "
        "final at the Old Mill. Petra Vance, the Hollow Town manager, praised the winners.",
    ),
]

STREAM = sorted(
    [*BRIDGE, *RATES_HELD, *RATES_RAISED, *MATCH],
    key=lambda a: (a.published or T0, a.id),
)
EVENT = {
    **{a.id: "bridge" for a in BRIDGE},
    **{a.id: "held" for a in RATES_HELD},
    **{a.id: "raised" for a in RATES_RAISED},
    **{a.id: "match" for a in MATCH},
}
