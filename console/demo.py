"""``seed-demo``: a realistic isotope-geochemistry lab to explore FarLab with."""

from __future__ import annotations

import random
from datetime import timedelta

from console.demo_history import seed_usage_history
from domain import instruments, parts, stock, suppliers, users
from domain.context import DomainContext
from domain.errors import NotFound
from domain.permissions import SYSTEM, Actor, Role

DEMO_PASSWORD = "Demo-Lab-2026"  # noqa: S105 - printed for the demo lab only

INSTRUMENTS = [
    ("MAT253", "MAT 253 Plus", "Thermo Fisher", "IRMS-0253", "Lab 2.14"),
    ("Kiel IV", "Kiel IV Carbonate Device", "Thermo Fisher", "KIEL-4-118", "Lab 2.14"),
    ("Delta V", "Delta V Advantage", "Thermo Fisher", "DV-7781", "Lab 2.16"),
    ("GasBench II", "GasBench II", "Thermo Fisher", "GB2-3321", "Lab 2.16"),
    ("Flash EA", "Flash EA 1112", "Thermo Fisher", "EA-1112-09", "Lab 2.18"),
    ("Neptune", "Neptune Plus MC-ICP-MS", "Thermo Fisher", "NEP-0415", "Clean lab 1.02"),
    ("Element XR", "Element XR HR-ICP-MS", "Thermo Fisher", "EXR-2207", "Clean lab 1.04"),
    ("Picarro L2140", "L2140-i", "Picarro", "HIDS2140", "Lab 2.20"),
    ("Centrifuge 5810R", "5810 R", "Eppendorf", "5810R-44213", "Prep lab 1.10"),
    ("Freeze dryer", "Alpha 1-4 LSCbasic", "Martin Christ", "FD-10234", "Prep lab 1.12"),
    ("Stereo microscope", "SZX16", "Olympus", "SZX16-5521", "Prep lab 1.08"),
    ("Micromill", "MicroMill", "New Wave Research", "MM-0098", "Prep lab 1.08"),
]

CATEGORIES = {
    "Filaments": (
        "Rhenium filament",
        "Tungsten filament",
        "Tantalum filament",
        "Ion source filament",
    ),
    "Vacuum": ("Turbo pump bearing kit", "Viton O-ring", "Copper gasket CF40", "Roughing pump oil"),
    "Consumables": ("Tin capsules", "Silver capsules", "Septa", "Vials 12 ml", "Phosphoric acid"),
    "Electronics": ("Fuse 2 A", "Amplifier board", "Faraday cup resistor", "Cable harness"),
    "Gas supply": (
        "Helium regulator",
        "CO2 reference gas",
        "Gas filter cartridge",
        "Swagelok fitting",
    ),
    "Cones": ("Nickel sampler cone", "Nickel skimmer cone", "Platinum sampler cone", "Torch"),
    "Tools": ("Tweezers", "Allen key set", "Torque wrench", "Lint-free wipes"),
    "Optics": ("Cavity mirror", "Laser diode", "Light guide", "Objective lens"),
}

PEOPLE = [
    ("lab.manager", "Ingrid", "Haugen", "manager"),
    ("tech.ole", "Ole", "Nilsen", "manager"),
    ("phd.sara", "Sara", "Berg", "member"),
    ("postdoc.li", "Li", "Wang", "member"),
    ("student.jonas", "Jonas", "Dahl", "member"),
]


def seed_demo(ctx: DomainContext, *, part_count: int = 300, seed: int = 253) -> str:
    """Create the demo lab unless it is already there. Returns a summary for the console."""
    try:
        instruments.find_instrument(ctx, actor=SYSTEM, ref="MAT253")
        return "The demo lab is already in this database; nothing added."
    except NotFound:
        pass
    rng = random.Random(seed)
    accounts = _seed_people(ctx)
    ids = [_seed_instrument(ctx, row, rng) for row in INSTRUMENTS]
    low = _seed_parts(ctx, ids, accounts, rng, part_count)
    offers = _seed_suppliers(ctx, random.Random(seed + 1))
    history = seed_usage_history(ctx, instrument_id=ids[0], people=accounts[3:])
    names = ", ".join(f"{u} ({r})" for u, _f, _l, r in PEOPLE)
    return (
        f"Seeded the demo lab: {len(ids)} instruments, {part_count} parts ({low} low or out of "
        f"stock), {len(SUPPLIERS)} suppliers with {offers} offers, ten weeks of use of "
        f"{history.part_number} {history.name}, users admin.demo (admin), {names}; demo "
        f"password {DEMO_PASSWORD}."
    )


# (name, website, lead time in days): each part gets its maker as its preferred supplier.
SUPPLIERS = (
    ("Thermo Fisher", "https://www.thermofisher.com", 21),
    ("Agilent", "https://www.agilent.com", 14),
    ("Swagelok", "https://www.swagelok.com", 7),
    ("Sigma-Aldrich", "https://www.sigmaaldrich.com", 5),
)


def _seed_suppliers(ctx: DomainContext, rng: random.Random) -> int:
    """The makers as suppliers, and a preferred offer from its maker for four parts in five."""
    made = {
        name: suppliers.add_supplier(ctx, actor=SYSTEM, name=name, website=site).id
        for name, site, _days in SUPPLIERS
    }
    lead = {name: days for name, _site, days in SUPPLIERS}
    offers = 0
    for part in parts.list_parts(ctx, actor=SYSTEM, limit=1000).items:
        if part.manufacturer not in made or (part.id % 5 == 4 and part.part_number != "FIL-1272"):
            continue
        pack = rng.choice([1, 1, 5, 10])
        suppliers.add_offer(
            ctx,
            actor=SYSTEM,
            part_id=part.id,
            supplier_id=made[part.manufacturer],
            supplier_part_number=f"{part.manufacturer[:2].upper()}-{rng.randint(10000, 99999)}",
            unit_price=f"{rng.randint(5, 400) * pack}.{rng.choice(['00', '50', '90'])}",
            currency="EUR",
            pack_size=pack,
            lead_time_days=lead[part.manufacturer] + rng.randint(-2, 7),
            is_preferred=True,
        )
        offers += 1
    return offers


def _seed_people(ctx: DomainContext) -> list[Actor]:
    actors = []
    for username, first, last, role in [("admin.demo", "Ada", "Admin", "admin"), *PEOPLE]:
        user = users.create_user(
            ctx,
            actor=SYSTEM,
            username=username,
            email=f"{username}@farlab.example",
            first_name=first,
            last_name=last,
            password=DEMO_PASSWORD,
            role=role,
            department="Isotope geochemistry",
        )
        actors.append(Actor(user_id=user.id, username=user.username, role=Role(user.role)))
    return actors


def _seed_instrument(ctx: DomainContext, row: tuple[str, ...], rng: random.Random) -> int:
    name, model, maker, serial, location = row
    today = ctx.now().date()
    view = instruments.create_instrument(
        ctx,
        actor=SYSTEM,
        name=name,
        model=model,
        manufacturer=maker,
        serial_number=serial,
        location=location,
        next_maintenance_due=today + timedelta(days=rng.randint(2, 120)),
        maintenance_interval_days=rng.choice([90, 180, 365]),
    )
    return view.id


def _seed_parts(
    ctx: DomainContext,
    instrument_ids: list[int],
    people: list[Actor],
    rng: random.Random,
    count: int,
) -> int:
    low = 0
    categories = list(CATEGORIES.items())
    for n in range(count):
        category, names = categories[n % len(categories)]
        minimum = rng.choice([0, 2, 5, 10, 20])
        quantity = rng.randint(0, minimum * 4 + 10)
        if n % 11 == 0:
            quantity = rng.randint(0, minimum)  # some parts low or out of stock
        part = parts.create_part(
            ctx,
            actor=SYSTEM,
            part_number=f"{category[:3].upper()}-{1000 + n}",
            name=f"{names[n % len(names)]} {chr(65 + n % 26)}{n // 26}",
            category=category,
            manufacturer=rng.choice(["Thermo Fisher", "Agilent", "Swagelok", "Sigma-Aldrich"]),
            location=f"Cabinet {rng.randint(1, 12)}, shelf {rng.randint(1, 6)}",
            quantity_in_stock=quantity,
            minimum_stock_level=minimum,
            is_critical=n % 17 == 0,
            instrument_ids=tuple(rng.sample(instrument_ids, k=rng.randint(0, 2))),
        )
        low += part.is_low_stock or part.quantity_in_stock == 0
        if n % 5 == 0 and part.quantity_in_stock > 1:
            stock.adjust_stock(
                ctx,
                actor=rng.choice(people),
                part_id=part.id,
                delta=-1,
                reason="Routine maintenance",
                source="slack",
                instrument_id=instrument_ids[n % len(instrument_ids)],
            )
    return low
