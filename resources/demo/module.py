"""The demo guided module: knowing your pattern, your internet use and your plan.

Written to the same rules as real content: supportive, non-judgemental, plain language, never
explicit. It points to kinds of help (this service's chat and secure messages, a GP or doctor, a
therapist or counsellor, urgent mental-health support, emergency services) and never invents a
phone number, a website or the name of an organisation or a person.
"""

from __future__ import annotations

from typing import Any

from resources.models import Exercise

MODULE: dict[str, Any] = {
    "slug": "making-a-plan",
    "title": "Making a plan for difficult moments",
    "summary": "A step-by-step module to understand your difficult moments, review your internet use and "
    "write your own plan for staying in control. About 45 minutes; you can take breaks.",
    "objectives": """
By the end of this module you will have:

- a sense of where you are starting from, and where you are at the end;
- a clearer picture of the feelings, times and situations that make things harder for you;
- an honest look at your own internet use, and changes you could make;
- your own written plan for what to do in a risky moment;
- an idea of who you can turn to for support.

There are no right or wrong answers. What you write stays on your device and is never sent to us.
""",
    "steps": [
        {
            "title": "Where are you starting from?",
            "body": """
Before you begin, take a moment to notice how you are feeling about staying in control right now.
This is just for you: it helps you see, at the end, whether anything has changed.

Be honest with yourself. A low score is not a failure; it is a useful starting point.
""",
            "exercises": [
                {
                    "kind": Exercise.Kind.RATING,
                    "prompt": "Right now, how confident do you feel that you can stay in control of "
                    "what you do?",
                    "min_label": "Not at all confident",
                    "max_label": "Completely confident",
                },
                {
                    "kind": Exercise.Kind.REFLECTION,
                    "prompt": "What made you decide to start this module today?",
                },
            ],
        },
        {
            "title": "Noticing your difficult moments",
            "body": """
Most people find there are particular times when their thoughts are stronger or harder to manage.
These often involve:

- **Feelings**, such as loneliness, stress, boredom, anger, sadness or feeling rejected.
- **Times**, such as late at night, weekends or after a hard day.
- **Situations**, such as being alone with a device, drinking, or being in certain online spaces.

Knowing your own pattern is the first step to changing it.
""",
            "exercises": [
                {
                    "kind": Exercise.Kind.REFLECTION,
                    "prompt": "Think about a recent time when things felt difficult. What was happening, "
                    "how were you feeling, and what time of day was it?",
                    "help_text": "Do not include names or details that could identify you or anyone else.",
                },
                {
                    "kind": Exercise.Kind.REFLECTION,
                    "prompt": "What early warning signs do you notice in yourself before things get harder?",
                    "help_text": "For example: feeling restless, staying up late, or telling yourself "
                    "'just this once'.",
                },
            ],
        },
        {
            "title": "Looking at your internet use",
            "body": """
For many people, the internet is where difficult moments turn into risky ones. Looking honestly at
your own internet use can feel uncomfortable, but it is one of the most useful things you can do.

Think about which sites, apps and searches you use, when, and how you feel before and after. Then
think about what would make it harder to end up somewhere you do not want to be: blocking software,
safe search, removing apps, keeping devices out of the bedroom, or using them in shared rooms.
""",
            "exercises": [
                {
                    "kind": Exercise.Kind.RATING,
                    "prompt": "How much is your internet use a problem for you at the moment?",
                    "min_label": "Not a problem",
                    "max_label": "A very big problem",
                },
                {
                    "kind": Exercise.Kind.REFLECTION,
                    "prompt": "Which kinds of sites, apps or searches lead you towards content or "
                    "conversations you want to stay away from?",
                },
                {
                    "kind": Exercise.Kind.REFLECTION,
                    "prompt": "What changes could you make to your devices and habits this week?",
                },
            ],
        },
        {
            "title": "Your plan for risky moments",
            "body": """
A plan written in a calm moment is there for you when things feel hard and it is difficult to think
clearly. Keep it short and practical. A good plan usually covers:

1. **My warning signs:** how I know a risky moment is coming.
2. **What I will do straight away:** for example, leave the room, switch off the device, go outside.
3. **Things I can do instead:** activities that take my full attention.
4. **Who I can contact:** for example this service's chat or secure messages, a friend, my GP or a
   counsellor, and emergency services if I or someone else is in danger.
5. **Why it matters to me:** my reasons for staying in control.

If you download your answers, keep the file somewhere private, or copy your plan onto paper.
""",
            "exercises": [
                {
                    "kind": Exercise.Kind.PLAN,
                    "prompt": "Write your plan for risky moments.",
                    "help_text": "Use the five headings above. Short sentences are fine.",
                },
                {
                    "kind": Exercise.Kind.REFLECTION,
                    "prompt": "What might get in the way of following your plan, and what could you do "
                    "about that?",
                },
            ],
        },
        {
            "title": "Looking back",
            "body": """
Well done for working through this module. Thinking honestly about these things takes courage.

Take a moment to rate yourself again, and notice whether anything has changed. It is fine if it has
not: the plan you have written is still a real step forward.

Come back to your plan whenever you need it, and update it as you learn more about yourself. If you
would like to talk any of it through, you can [talk to us](/chat/) anonymously.
""",
            "exercises": [
                {
                    "kind": Exercise.Kind.RATING,
                    "prompt": "Now, how confident do you feel that you can stay in control of what you do?",
                    "min_label": "Not at all confident",
                    "max_label": "Completely confident",
                },
                {
                    "kind": Exercise.Kind.REFLECTION,
                    "prompt": "What have you learned about yourself, and what is one thing you will do "
                    "differently in the next week?",
                },
            ],
        },
    ],
}
