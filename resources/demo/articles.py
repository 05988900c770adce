"""Demo categories and articles for the embedded site.

Written to the same rules as real content: supportive, non-judgemental, plain language, never
explicit. It points to kinds of help (this service's chat and secure messages, a GP or doctor, a
therapist or counsellor, urgent mental-health support, emergency services) and never invents a
phone number, a website or the name of an organisation or a person.
"""

from __future__ import annotations

from typing import Any

CATEGORIES = [
    {
        "slug": "worried-about-your-own-thoughts",
        "name": "Worried about your own thoughts",
        "description": "For anyone troubled by sexual thoughts or feelings about children, or worried about "
        "where their behaviour online is going.",
    },
    {
        "slug": "worried-about-someone-else",
        "name": "Worried about someone else",
        "description": "For partners, family members and friends who are worried about another adult's "
        "behaviour or thoughts.",
    },
    {
        "slug": "staying-safe-online",
        "name": "Staying safe online",
        "description": "Practical steps to take control of your internet use and your devices.",
    },
    {
        "slug": "getting-support",
        "name": "Getting support",
        "description": "What happens when you reach out to us, and other kinds of help you can turn to.",
    },
]

RESOURCES: list[dict[str, Any]] = [
    {
        "slug": "you-are-not-alone",
        "category": "worried-about-your-own-thoughts",
        "title": "You are not alone: unwanted thoughts and what they mean",
        "summary": "Many people have sexual thoughts about children that frighten or disgust them. "
        "Having them does not mean you will act on them, and help is available.",
        "featured": True,
        "related": ["thoughts-are-not-actions", "coping-with-shame", "what-happens-when-you-contact-us"],
        "body": """
If you are reading this because thoughts about children worry you, it may have taken a lot to get
here. Thank you for looking. Coming to a page like this is a sign that you care about doing the right
thing, and that matters.

## You are not the only one

More people than you might think have sexual thoughts or feelings about children that they did not
choose and do not want. Many of them never tell anyone, because they feel ashamed or afraid of what
others would think. Keeping it secret can make the thoughts feel bigger and more frightening than
they are.

You did not choose to have these thoughts. What you *can* choose is what you do next, and that is
where help makes a real difference.

## Thoughts are not the same as actions

A thought is not an action. Many people who have thoughts like these never harm a child, and they
live their lives in line with their values. Understanding your thoughts, noticing what makes them
stronger, and having a plan for difficult moments all help you stay in control.

It is also important to be honest with yourself: looking at sexual images of children is not a
"victimless" private act. Every image involves a real child who was harmed, and viewing images can
make it harder to stay in control over time. If you have started down that path, it is not too late
to stop, and we can help you with that too.

## What can help

- **Talking to someone.** Saying things out loud to a person who will not judge you often brings
  relief. You can [talk to us](/chat/) anonymously; we will not ask your name.
- **Understanding your patterns.** Thoughts often get stronger when you are lonely, stressed,
  tired, bored or have been drinking. Our [guided module](/modules/) helps you spot your own patterns.
- **Looking after yourself.** Sleep, contact with other adults, activities you enjoy and support
  for your mental health all help.
- **Professional help.** A GP or doctor, a therapist or a counsellor can help you, and many have
  worked with people in your situation before.

You do not have to sort this out alone, and you do not have to wait until things get worse.
""",
    },
    {
        "slug": "thoughts-are-not-actions",
        "category": "worried-about-your-own-thoughts",
        "title": "Thoughts are not actions: making choices that keep children safe",
        "summary": "How to notice risky moments early, and practical steps that help you stay in control "
        "of what you do.",
        "hard_content": True,
        "related": ["you-are-not-alone", "taking-control-of-your-internet-use"],
        "body": """
This page talks about the risk of harming a child. Some people find that hard to read. Take it slowly,
and stop whenever you need to.

## Why your choices matter

You cannot always control which thoughts come into your head. You can control what you do with them.
People who stay safe are usually not people who never have difficult thoughts; they are people who
notice the warning signs early and have a plan for what to do.

## Noticing the warning signs

Risky moments rarely come out of nowhere. They often follow a chain of smaller steps, for example:

1. Feeling low, lonely, angry or stressed.
2. Being alone with a device late at night, or after drinking.
3. Telling yourself "just this once" or "it's only looking".
4. Searching for, or going back to, places that lead you closer to harmful content or contact.

The earlier you notice the chain, the easier it is to break it. Everyone's chain is different. It
can help to write yours down.

## Ways to break the chain

- **Change where you are.** Go to a room where other people are, or go outside.
- **Put distance between you and the device.** Switch it off, leave it in another room, or hand it
  to someone.
- **Do something that takes your full attention.** Exercise, cooking, a phone call with a friend,
  a game, music.
- **Reach out.** You can [talk to us](/chat/), or send us a secure message if we are closed.
- **Be kind to yourself afterwards.** Getting through a difficult moment is a success, even if it
  was hard.

## Staying away from situations with children

If you are worried about being around children, it is sensible to avoid situations where you would
be alone with a child, and to think about activities, roles or online spaces that bring you into
contact with them. This is a responsible choice, not a punishment.

## If you feel you might act on your thoughts

If at any point you feel you are about to harm a child, leave the situation straight away and get
help. If a child is in immediate danger, contact the emergency services. If you feel overwhelmed or
in crisis, an urgent mental-health service or your doctor can help you today.
""",
    },
    {
        "slug": "coping-with-shame",
        "category": "worried-about-your-own-thoughts",
        "title": "Coping with shame and difficult feelings",
        "summary": "Shame can keep people stuck and alone. Here are some ways to cope with it, and why "
        "looking after your mental health helps you stay safe.",
        "related": ["you-are-not-alone", "finding-professional-help"],
        "body": """
Many people who contact us talk about shame: feeling disgusted with themselves, afraid of being
found out, or believing they are a bad person. These feelings are very common and they can be
overwhelming.

## Why shame does not help

It might seem that feeling bad about yourself will stop you from acting on your thoughts. In
practice, strong shame often does the opposite. It pushes people to hide, to avoid getting help and
to cope in ways that make things worse, such as drinking or spending long hours alone online.

Taking responsibility for your actions is important. Punishing yourself is something different, and
it rarely keeps anyone safe.

## Things that can help

- **Separate who you are from what you think.** You are more than your thoughts. Your values, your
  relationships and the things you care about are part of you too.
- **Notice self-critical thoughts.** When you catch yourself thinking "I'm disgusting" or "there's
  no point", try to name it: "this is shame talking". That small step can take some of its power away.
- **Keep up ordinary things.** Regular sleep, meals, movement and time with other adults make hard
  feelings easier to carry.
- **Talk to someone.** Telling one person, even anonymously, is often the turning point. You can
  [talk to us](/chat/) without giving your name.

## If you have been arrested or are being investigated

Being arrested, questioned by the police or waiting for the outcome of an investigation is one of
the hardest things a person can go through. Shock, fear and shame can all arrive at once, and
everything can feel as if it is falling apart.

- **Get legal advice.** A solicitor or lawyer can explain what is happening and what comes next.
  We cannot give legal advice.
- **Keep to a routine.** Sleep, meals and time with people who support you matter even more now.
- **You can still talk to us.** We are not the police and we will not ask your name. Our page on
  [what happens when you contact us](/self-help/what-happens-when-you-contact-us/) explains the
  limits of confidentiality.

Many people at this point have thoughts of harming themselves. If you do, please read the next
part and tell someone today.

## If you feel low or hopeless

Some people in your situation have thoughts of harming themselves. If that is happening to you,
please tell someone today: your GP or doctor, an urgent mental-health service, or the emergency
services if you are in immediate danger. You deserve support, and things can get better.
""",
    },
    {
        "slug": "when-someone-you-love-is-worrying-you",
        "category": "worried-about-someone-else",
        "title": "When someone you love is worrying you",
        "summary": "If you are worried about a partner, relative or friend's behaviour towards children or "
        "what they look at online, here is how to think it through and where to get help.",
        "featured": True,
        "hard_content": True,
        "related": ["talking-to-someone-about-your-concerns", "what-happens-when-you-contact-us"],
        "body": """
This page talks about the possibility that someone you know could harm a child. Some people find that
hard to read.

Finding out, or suspecting, that someone close to you has a sexual interest in children can turn your
world upside down. You might feel shocked, angry, frightened, confused or guilty, sometimes all at
once. There is no right way to feel.

## What you might have noticed

People contact us about many different worries, for example:

- finding images or searches on a shared device;
- someone seeking time alone with a child, or ignoring a child's wish for privacy;
- someone who talks about children in a way that makes you uncomfortable;
- someone who has told you about thoughts they are struggling with.

Some of these are clear warning signs; others could have another explanation. You do not have to
work it out on your own.

## Putting children's safety first

If you believe a child is in immediate danger, contact the emergency services now.

If it is not an emergency, take some time to write down what you have noticed and when. Think about
which children the person has contact with and how that contact could be made safer, for example by
making sure they are not alone together.

## Looking after yourself

Supporting someone else, or deciding what to do, is hard when you are in shock. Talk to someone you
trust, or to a counsellor. You can also [talk to us](/chat/): we speak with partners, parents and
friends every day, and you do not have to give your name or theirs.

## If the person wants help

If the person you are worried about has told you they are struggling with their thoughts, that is an
important step. You can encourage them to get help; they can contact us anonymously too.
""",
    },
    {
        "slug": "talking-to-someone-about-your-concerns",
        "category": "worried-about-someone-else",
        "title": "Talking to a partner or family member about your concerns",
        "summary": "Practical ideas for preparing a difficult conversation, keeping yourself and children "
        "safe, and knowing what to do if it goes badly.",
        "related": ["when-someone-you-love-is-worrying-you"],
        "body": """
Deciding whether and how to talk to someone about your worries is not easy. These ideas can help you
prepare. You know your situation best: if you think raising it could put you or a child at risk, talk
it through with us or another service first.

## Before the conversation

- **Be clear about what you have noticed.** Stick to what you saw or heard, rather than guesses.
- **Choose the time and place.** Somewhere private, when neither of you is rushed, tired or has been
  drinking, and when children are not around.
- **Decide what you want from it.** For example: that they get help, that they stop using a shared
  device in a certain way, or that they are not alone with children.
- **Have support ready.** Let someone you trust know what you are planning, if that is safe.

## During the conversation

- Use "I" statements: "I'm worried because I saw…" rather than "You are…".
- Expect strong reactions such as denial, anger or tears. These are common and do not always mean
  the person will not change.
- Say clearly that help exists, and that they can contact a service like ours anonymously.
- You do not have to solve everything in one conversation.

## Afterwards

Whatever happened, look after yourself. Write down what was said. If you are still worried about a
child's safety, take action even if the person denied everything: you can
[talk to us](/chat/) about next steps. If a child is in immediate danger, contact the emergency
services.
""",
    },
    {
        "slug": "taking-control-of-your-internet-use",
        "category": "staying-safe-online",
        "title": "Taking control of your internet use",
        "summary": "Simple changes to your devices and habits that make it easier to stay away from "
        "harmful content, and what to do if you slip.",
        "featured": True,
        "related": ["thoughts-are-not-actions", "making-a-plan"],
        "body": """
For many people who contact us, the internet is where things started to go wrong: hours of searching
that drifted further than they meant to go, often late at night and alone. The good news is that small
changes to your devices and habits can make a big difference.

## Look honestly at how you use the internet

Try keeping a note for a week: when you go online, for how long, how you feel beforehand and where
you end up. Patterns often appear quickly, for example that problems start after midnight, or when
you are lonely or have been drinking.

## Make it harder to go where you do not want to go

- **Install blocking or filtering software** on your computer and phone, and ask someone else to set
  the password if you can.
- **Turn on "safe search"** in your search engine and lock the setting.
- **Remove apps and accounts** that lead you towards risky content or conversations, including
  anonymous chat apps.
- **Clear out saved material** that you know is harmful, and do not keep "just in case" copies.

## Change your habits

- Keep devices out of the bedroom at night.
- Use the internet in shared rooms when you can.
- Set a time limit and a clear reason each time you go online.
- Plan other things to do at the times you know are hardest.

## Sexual images of children are never harmless

Looking at sexual images of children is illegal in most countries and causes real harm: every image
shows a real child, and each time it is viewed the harm continues. If you have been looking at
images, the most important step is to stop now, and get support to stay stopped.

## If you slip

A slip does not mean you have failed or that there is no point. Notice what led up to it, update
your plan, and [talk to us](/chat/) if you can. Our guided module
[Making a plan for difficult moments](/modules/making-a-plan/) can help you put this into practice.
""",
    },
    {
        "slug": "what-happens-when-you-contact-us",
        "category": "getting-support",
        "title": "What happens when you contact us",
        "summary": "Who you will talk to, what we keep and for how long, and the limits of confidentiality, "
        "explained plainly.",
        "featured": True,
        "related": ["finding-professional-help", "you-are-not-alone"],
        "body": """
Reaching out can feel frightening, especially the first time. This page explains what to expect, so
there are no surprises.

## Who you will talk to

You will talk to a trained member of our team. They have spoken with many people in situations like
yours, and they will not judge you. Our job is to help you stay in control and to prevent harm.

## You do not have to tell us who you are

We never ask for your name, address, phone number or email. Please do not give us details that
could identify you or anyone else, such as names, places or dates.

## How to contact us

- **Live chat**, when we are open: choose [Talk to us](/chat/). You may wait a short while for
  the next available person.
- **Secure messages**, when we are closed: you can leave a message and come back for our reply
  with a passphrase that only you know.

## What we keep, and for how long

We do not record your network address or which browser you use. Chat conversations and messages are
deleted automatically after a short time. We only keep counts, such as how many people contacted us
on a day, so we can show that the service is needed.

## The limits of confidentiality

Our service is anonymous and confidential. It is not a reporting or investigative service, and it is
not treatment. But if you tell us identifying details and that a child is at risk of harm, or that
a crime is happening, we may have to pass that information on. We will say this at the start of
every conversation, so you can decide what to share.

## After the conversation

Many people come back more than once. You might also choose to use our self-help reading, work through
a guided module, or see a doctor, therapist or counsellor.
""",
    },
    {
        "slug": "finding-professional-help",
        "category": "getting-support",
        "title": "Finding professional help: doctors, therapists and counsellors",
        "summary": "Longer-term support can make a real difference. Here is what different professionals "
        "can offer, and how to start the conversation.",
        "related": ["what-happens-when-you-contact-us", "coping-with-shame"],
        "body": """
Talking to us can be a first step. For many people, longer-term support from a professional is what
helps most over time.

## Your GP or doctor

A GP or family doctor can help with your mental health, including low mood, anxiety, problems with
sleep or drinking, and can refer you on to other services. You do not have to go into detail at the
first appointment. You could start with "I've been struggling with some thoughts that worry me and I
would like help."

## A therapist or counsellor

Talking therapies can help you understand your thoughts and feelings, cope with shame and build
ways of staying safe. Some therapists specialise in working with people who are worried about their
sexual thoughts. It is fine to ask a therapist, before you start, whether they have experience with
this and how they handle confidentiality.

## Preparing for an appointment

- Write down what you want to say, so you do not have to find the words on the spot.
- Ask how confidentiality works for them and when it would have limits.
- Bring a copy of your plan for difficult moments if you have made one.

## If you need help urgently

If you are in crisis, feel you might harm yourself or someone else, or a child is in danger, contact
an urgent mental-health service or the emergency services straight away.

And whenever we are open, you can [talk to us](/chat/) about finding the right kind of help.
""",
    },
]
