"""A seeded generator of realistic calls (English and Hebrew, 5-40 turns) for benchmarks.

The calls follow the shape of real contact-centre calls (greeting, problem, identification, hold,
resolution or next step, closing) with varied wording, lengths and timestamps. They exist to
measure speed and memory, not accuracy: never use them to evaluate verdicts.

    python -m bench.generate --calls 10000 --seed 7 --out /tmp/calls.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

PHRASES: dict[str, dict[str, list[str]]] = {
    "en": {
        "greet": [
            "Thank you for calling {company}, my name is {agent}, how can I help you today?",
            "Hi, you've reached {company} support, this is {agent}.",
            "good morning {company} this is {agent} speaking how may I help",
            "{company} billing, {agent} here. What can I do for you?",
        ],
        "problem": [
            "Hi, my internet has been down since yesterday and I work from home.",
            "I was charged twice on my last bill and nobody has fixed it.",
            "yeah hi um the router keeps restarting every few minutes",
            "I ordered a blender three weeks ago and it still hasn't arrived.",
            "I've been on hold for forty minutes, this is ridiculous.",
            "My card was declined at the supermarket but I have money in the account.",
            "I just want to know when my refund will come through.",
            "this is the third time I'm calling about the same problem",
            "Can you tell me what plans you have for international calls?",
            "I'd like to add my daughter to my mobile plan.",
        ],
        "identify": [
            "Can I have your account number, please?",
            "Could you confirm your date of birth and the postcode on the account?",
            "sure what's the phone number on the account",
            "Before we continue I need to verify your identity.",
        ],
        "answer": [
            "It's 4471 2290.",
            "Sure, it's the fourteenth of March, 1986, postcode SW4 7QT.",
            "yeah it's oh five two one two three four five six seven",
            "My name is Dana Levi and the account is under my husband.",
        ],
        "hold": [
            "Let me check that for you, one moment please.",
            "I'm going to put you on a short hold while I look into this.",
            "okay bear with me I'm just pulling up your account",
        ],
        "agent_body": [
            "I can see the outage in your area; engineers are working on it.",
            "I'm sorry about the double charge, I've reversed it now.",
            "I understand how frustrating that is, let's get it sorted.",
            "I've opened ticket 48213; a technician will call you tomorrow between 8 and 12.",
            "I can offer you a 10% discount on next month's bill.",
            "The refund takes 5 to 10 business days to show on your statement.",
            "I'll email you the confirmation right now.",
            "I can't promise a date, but I'll escalate it to the delivery team.",
            "you should get an SMS confirmation in the next few minutes",
            "Unfortunately that isn't something we can change on our side.",
        ],
        "customer_body": [
            "Okay, and how long will that take?",
            "That's not good enough, I need it working today.",
            "fine whatever just fix it",
            "Thanks, that's really helpful.",
            "Will I get something in writing?",
            "My mother is in hospital and I need my phone working.",
            "So what happens if it breaks again?",
        ],
        "close": [
            "Is there anything else I can help you with today?",
            "Thanks for your patience, have a great day.",
            "You're welcome, goodbye.",
        ],
        "customer_close": ["No, that's all, thanks.", "ok bye", "Thank you, bye."],
    },
    "he": {
        "greet": [
            "שלום, הגעת ל{company}, מדברת {agent}, איך אפשר לעזור?",
            "{company} שירות לקוחות, {agent} מדבר, במה אוכל לעזור",
            "בוקר טוב {company} מדברת {agent} איך אני יכולה לעזור לך היום",
        ],
        "problem": [
            "היי, האינטרנט לא עובד אצלי מאתמול ואני עובד מהבית.",
            "חייבו אותי פעמיים בחשבונית האחרונה ואף אחד לא מטפל בזה.",
            "כן שלום אממ הראוטר כל הזמן עושה ריסט",
            "הזמנתי מקרר לפני שלושה שבועות והוא עדיין לא הגיע.",
            "אני מחכה על הקו כבר ארבעים דקות, זה לא נורמלי.",
            "הכרטיס שלי נדחה בסופר למרות שיש לי כסף בחשבון.",
            "רציתי לדעת מתי יגיע ההחזר שלי.",
            "זו הפעם השלישית שאני מתקשרת על אותה בעיה",
            'אפשר לשמוע אילו חבילות יש לכם לחו"ל?',
            "אני רוצה להוסיף את הבת שלי לחבילה.",
        ],
        "identify": [
            "אפשר בבקשה מספר תעודת זהות?",
            "תוכל לאשר לי את מספר הלקוח ואת הכתובת?",
            "מה מספר הטלפון שרשום על החשבון",
        ],
        "answer": [
            "כן, זה 4471 2290.",
            "מספר לקוח 88213, רחוב הרצל 12 בחולון.",
            "אפס חמש שתיים אחת שתיים שלוש ארבע חמש שש שבע",
        ],
        "hold": [
            "רגע, אני בודקת את זה.",
            "אני מעביר אותך להמתנה קצרה בזמן שאני בודק.",
            "שנייה אחת אני פותחת את הכרטיס שלך",
        ],
        "agent_body": [
            "אני רואה שיש תקלה באזור שלך, הטכנאים כבר עובדים על זה.",
            "אני מצטערת על החיוב הכפול, ביטלתי אותו עכשיו.",
            "אני מבין את התסכול, בוא נסדר את זה.",
            "פתחתי קריאה מספר 48213, טכנאי יתקשר אליך מחר בין 8 ל-12.",
            "אני יכולה לתת לך 10% הנחה על החשבון הבא.",
            "ההחזר לוקח בין 5 ל-10 ימי עסקים.",
            "אני שולח לך עכשיו אישור במייל.",
            "אני לא יכולה להבטיח תאריך, אבל אעביר את זה למחלקת המשלוחים.",
            "לצערי זה לא משהו שאפשר לשנות אצלנו",
        ],
        "customer_body": [
            "אוקיי, וכמה זמן זה ייקח?",
            "זה לא מספיק, אני צריך שזה יעבוד היום.",
            "טוב נו שיהיה רק תסדרו את זה",
            "תודה, זה ממש עזר.",
            "אני אקבל את זה בכתב?",
            "אמא שלי בבית חולים ואני חייבת טלפון שעובד.",
        ],
        "close": [
            "יש עוד משהו שאפשר לעזור בו?",
            "תודה על הסבלנות, יום טוב.",
            "בשמחה, להתראות.",
        ],
        "customer_close": ["לא, זהו, תודה.", "אוקיי ביי", "תודה רבה, להתראות."],
    },
}

COMPANIES = {
    "en": ["Northwind Telecom", "Acme Bank", "Globex Energy"],
    "he": ["סלקום פלוס", "בנק הדרום", "חשמל ישיר"],
}
AGENTS = {"en": ["Sam", "Priya", "Tom", "Grace"], "he": ["דנה", "יוסי", "מיכל", "אבי"]}


def generate_call(rng: random.Random, number: int, language: str) -> dict[str, Any]:
    """One call of 5-40 turns, alternating agent and customer, with timestamps."""
    phrases = PHRASES[language]
    fill = {"company": rng.choice(COMPANIES[language]), "agent": rng.choice(AGENTS[language])}
    target = rng.randint(5, 40)
    script: list[tuple[str, str]] = [
        ("agent", rng.choice(phrases["greet"]).format(**fill)),
        ("customer", rng.choice(phrases["problem"])),
        ("agent", rng.choice(phrases["identify"])),
        ("customer", rng.choice(phrases["answer"])),
    ]
    if rng.random() < 0.5:
        script.append(("agent", rng.choice(phrases["hold"])))
        script.append(("customer", rng.choice(["ok", "sure", "אוקיי", "בסדר"])))
    while len(script) < target - 2:
        script.append(("agent", rng.choice(phrases["agent_body"])))
        script.append(("customer", rng.choice(phrases["customer_body"])))
    script.append(("agent", rng.choice(phrases["close"])))
    script.append(("customer", rng.choice(phrases["customer_close"])))
    clock = 0.0
    turns = []
    for speaker, text in script[:target]:
        duration = 0.35 * len(text.split()) + rng.uniform(0.5, 2.0)
        turns.append(
            {
                "speaker": speaker,
                "text": text,
                "start": round(clock, 2),
                "end": round(clock + duration, 2),
            }
        )
        clock += duration + rng.uniform(0.2, 1.5)
    return {
        "call_id": f"bench-{language}-{number:07d}",
        "agent_id": f"agent-{rng.randint(1, 500):03d}",
        "language": language,
        "channel": "voice",
        "turns": turns,
    }


def generate(count: int, seed: int = 7, hebrew_share: float = 0.5) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for number in range(count):
        language = "he" if rng.random() < hebrew_share else "en"
        yield generate_call(rng, number, language)


def write_jsonl(path: Path, count: int, seed: int = 7) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for call in generate(count, seed):
            handle.write(json.dumps(call, ensure_ascii=False) + "\n")
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None, help="JSONL file (default: stdout)")
    args = parser.parse_args(argv)
    if args.out:
        write_jsonl(args.out, args.calls, args.seed)
    else:
        for call in generate(args.calls, args.seed):
            sys.stdout.write(json.dumps(call, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
