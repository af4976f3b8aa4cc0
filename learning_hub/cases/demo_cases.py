"""Anonymised demo cases for seed-demo: no names, places, numbers or dates of birth."""

DEMO_CASES = {
    "North": [
        {
            "gender": "female",
            "age_band": "25-34",
            "context": (
                "Living in a women's hostel after leaving a violent relationship, while her "
                "children stay with her mum. The service pulls housing, mental health and drug "
                "support into one plan; what matters most to her is getting back to regular time "
                "with the children."
            ),
            "pattern": "sporadic",
            "opened_days_ago": 240,
            "closed": False,
            "timeline": [
                (
                    236,
                    "letter",
                    "worker",
                    "other",
                    "Welcome letter left at the hostel with the worker's photo, the first visit "
                    "time and what the visit is for.",
                ),
                (
                    232,
                    "visit",
                    "worker",
                    "attended",
                    "Met her at the hostel. She wanted to talk about seeing the children before "
                    "anything else, so we started there.",
                ),
                (
                    225,
                    "in-person",
                    "worker",
                    "missed",
                    "Didn't come to the day centre. Texted the same afternoon to say we'd noticed.",
                ),
                (
                    224,
                    "text",
                    "person",
                    "reached",
                    "She replied with an apology; mornings are hard after a bad night. Agreed to "
                    "try afternoons.",
                ),
                (
                    211,
                    "in-person",
                    "worker",
                    "attended",
                    "Came in the early afternoon as agreed. Opened the benefits letter she'd been "
                    "avoiding, together.",
                ),
                (
                    197,
                    "in-person",
                    "worker",
                    "missed",
                    "Missed the session. Hostel staff said she'd had a difficult phone call the "
                    "night before.",
                ),
                (
                    190,
                    "phone",
                    "worker",
                    "no-answer",
                    "Phone off. Left a short voicemail: no problem, the door's open.",
                ),
                (
                    181,
                    "visit",
                    "worker",
                    "no-answer",
                    "No answer at her room. Hostel staff think she's been staying with a friend.",
                ),
                (
                    172,
                    "text",
                    "worker",
                    "no-answer",
                    "Texted to say we were thinking of her and would try again next week. No reply.",
                ),
                (
                    166,
                    "phone",
                    "other-agency",
                    "reached",
                    "The women's centre rang; she's been going there and asked them to help her get "
                    "back in touch with us.",
                ),
                (
                    161,
                    "in-person",
                    "person",
                    "attended",
                    "Came in with her women's centre worker. Wrote her engagement plan together, in "
                    "her words.",
                ),
                (
                    140,
                    "in-person",
                    "worker",
                    "attended",
                    "Good session. Talked through what she wants to say at the next family meeting.",
                ),
                (
                    119,
                    "text",
                    "person",
                    "cancelled",
                    "Cancelled by text an hour before; a letter about the family court had arrived "
                    "and she was shaken.",
                ),
                (
                    118,
                    "phone",
                    "worker",
                    "reached",
                    "Rang her back. Read the letter together over the phone; it was less bad than "
                    "she feared.",
                ),
                (
                    86,
                    "in-person",
                    "worker",
                    "missed",
                    "Missed the session after a weekend with the children. Texted; she replied the "
                    "next day.",
                ),
                (
                    58,
                    "in-person",
                    "worker",
                    "attended",
                    "Came in and said the reminder texts help. Asked to keep to afternoons only.",
                ),
            ],
            "triggers": [
                (
                    "feelings",
                    "Shame after a missed session makes the next one harder to walk into.",
                ),
                (
                    "relationships",
                    "Letters and calls about the children's care knock her off balance for days.",
                ),
                (
                    "behaviour",
                    "Stays with friends when the hostel feels unsafe, so visits there find an empty "
                    "room.",
                ),
            ],
            "plan": {
                "made_with_person": True,
                "preferred_times": (
                    "Afternoons only, never before noon; not the day after she has seen the "
                    "children."
                ),
                "preferred_methods": ["text", "in-person"],
                "others_may_contact": (
                    "Her worker at the women's centre, if two texts in a row go unanswered."
                ),
                "during_disengagement": (
                    "We text once a week without pressure, ask the women's centre to pass on a "
                    "message, and never close the case for missed sessions alone. When she comes "
                    "back we start with what has happened, not with the missed dates."
                ),
                "reminders": "A text the afternoon before and another an hour before.",
                "agreed_days_ago": 161,
                "review_in_days": 21,
            },
            "reflection": {
                "author": "staff",
                "identify": (
                    "She has a long history of services closing her case after two or three missed "
                    "appointments, and told us she expected the same here. With us her attendance "
                    "comes in waves: steady for a few weeks, then gone for a fortnight or more, "
                    "usually after news about the children."
                ),
                "analyse": (
                    "The gaps line up with letters and calls about the children's care rather than "
                    "with anything we did. Shame then keeps her away longer than the original "
                    "upset, and our habit of offering morning slots made it worse. Honestly, some "
                    "of the quiet weeks came as a relief when the caseload was heavy."
                ),
                "plan": (
                    "Keep to afternoon sessions and ring her whenever a family court letter is "
                    "due. A missed session gets a warm text, not a chase, and the women's centre "
                    "stays open as her route back."
                ),
                "feelings": ["frustration", "relief"],
                "other_feeling": "",
                "responses": [
                    (
                        "facilitator",
                        "Thank you for naming the relief; it's common and worth saying out loud. "
                        "Could the family court dates go into her plan so we can get ahead of them?",
                    ),
                    (
                        "priya",
                        "The women's centre route is gold. Worth asking whether she'd like a "
                        "three-way catch-up with them once a month.",
                    ),
                ],
            },
        },
        {
            "gender": "male",
            "age_band": "45-54",
            "context": (
                "Living in a shared house after years of sleeping rough, with heavy drinking and a "
                "heart condition that rarely gets checked. The service joins up housing, the GP "
                "and the day centre for him; what matters most is keeping his room and staying "
                "close to his brother."
            ),
            "pattern": "dropped-out",
            "opened_days_ago": 300,
            "closed": False,
            "timeline": [
                (
                    295,
                    "phone",
                    "other-agency",
                    "other",
                    "Referral from the day centre. They say he's keen but has been let down by "
                    "services before.",
                ),
                (
                    290,
                    "in-person",
                    "worker",
                    "attended",
                    "First meeting at the day centre over a cup of tea. He wanted help with rent "
                    "arrears first.",
                ),
                (
                    276,
                    "in-person",
                    "worker",
                    "attended",
                    "Came on time. Rang the housing officer together about an arrears plan.",
                ),
                (
                    262,
                    "in-person",
                    "worker",
                    "attended",
                    "Agreed his engagement plan together; he wants his brother as a back-up contact.",
                ),
                (
                    241,
                    "in-person",
                    "worker",
                    "attended",
                    "Came with his brother. Booked a GP check-up and he asked the worker to come "
                    "along.",
                ),
                (
                    227,
                    "in-person",
                    "worker",
                    "attended",
                    "Went with him to the GP check-up, his first in several years.",
                ),
                (
                    199,
                    "in-person",
                    "worker",
                    "attended",
                    "Arrears nearly cleared. He was proud and said so.",
                ),
                (
                    170,
                    "phone",
                    "person",
                    "cancelled",
                    "He rang to cancel; his brother has been taken into hospital.",
                ),
                (
                    162,
                    "phone",
                    "worker",
                    "reached",
                    "Rang to ask after his brother. Upset, but glad we'd called.",
                ),
                (
                    134,
                    "in-person",
                    "worker",
                    "attended",
                    "Looked tired. Drinking more since his brother fell ill; talked about the "
                    "alcohol team.",
                ),
                (
                    76,
                    "in-person",
                    "worker",
                    "attended",
                    "Quiet session. Said his brother isn't expected to come home.",
                ),
                (
                    48,
                    "phone",
                    "worker",
                    "reached",
                    "Short call. He'd rather not talk this week and said he'd come in on Tuesday.",
                ),
                (
                    41,
                    "in-person",
                    "worker",
                    "missed",
                    "Didn't come on Tuesday. Texted to say we'd be at the day centre on Thursday as "
                    "usual.",
                ),
                (
                    27,
                    "visit",
                    "worker",
                    "no-answer",
                    "No answer at the shared house. A housemate said he's in but not opening the "
                    "door.",
                ),
                (
                    20,
                    "phone",
                    "worker",
                    "no-answer",
                    "Rang to say we know things are hard and we're not going anywhere. No answer.",
                ),
                (
                    9,
                    "visit",
                    "worker",
                    "no-answer",
                    "Visited with a day centre worker he knows. No answer; left a note under the "
                    "door.",
                ),
            ],
            "triggers": [
                (
                    "feelings",
                    "Grief about his brother's illness, which he copes with by shutting the door on "
                    "everyone.",
                ),
                (
                    "behaviour",
                    "Drinks more heavily when worried, then avoids contact until he feels "
                    "presentable.",
                ),
                (
                    "thoughts",
                    "Believes he has to sort himself out before he deserves anyone's time.",
                ),
            ],
            "plan": {
                "made_with_person": True,
                "preferred_times": (
                    "Tuesday or Thursday mornings at the day centre, when he's usually in for "
                    "breakfast."
                ),
                "preferred_methods": ["in-person", "phone"],
                "others_may_contact": (
                    "His brother, and the day centre staff, if he hasn't been seen for a week."
                ),
                "during_disengagement": (
                    "We keep to his usual days at the day centre, ring once a week and visit the "
                    "house once a fortnight with someone he knows. Support doesn't end because of "
                    "missed sessions, and we ask for a health check if he's not been seen for two "
                    "weeks."
                ),
                "reminders": "A phone call the day before; he doesn't read texts.",
                "agreed_days_ago": 262,
                "review_in_days": -12,
            },
            "reflection": {
                "author": "facilitator",
                "identify": (
                    "He engaged steadily for about eight months, his longest stretch with any "
                    "service. The drop-off started when his brother went into hospital, and for "
                    "the past six weeks we've had only unanswered visits and calls."
                ),
                "analyse": (
                    "His plan names his brother as the back-up contact, and that's exactly the "
                    "person he can't lean on now. His own rule that he must be sober and tidy "
                    "before seeing anyone kicks in when he's struggling most. The review date has "
                    "passed, so our response has drifted rather than been agreed."
                ),
                "plan": (
                    "Review the plan with the day centre this week and find a second contact he "
                    "would accept. Keep the visits going, and ask the GP whether a welfare check "
                    "is needed given his heart."
                ),
                "feelings": ["anxiety", "other"],
                "other_feeling": "Sadness, watching a good run come apart.",
                "responses": [
                    (
                        "tom",
                        "Could the day centre ask him directly who else he'd be happy to hear from?",
                    ),
                    (
                        "grace",
                        "Worth checking whether the hospital social worker knows about him; they "
                        "might help him visit his brother, which could open the door to us again.",
                    ),
                ],
            },
        },
        {
            "gender": "another",
            "age_band": "18-24",
            "context": (
                "A young person leaving care who moved into supported lodgings a few months ago "
                "and was referred by their leaving-care worker. The service is meant to bring "
                "housing, college and emotional support together; through that worker they have "
                "said they want help finding work."
            ),
            "pattern": "non-starter",
            "opened_days_ago": 95,
            "closed": False,
            "timeline": [
                (
                    93,
                    "phone",
                    "other-agency",
                    "other",
                    "Referral from the leaving-care worker, who says they've already met too many "
                    "new workers.",
                ),
                (
                    90,
                    "letter",
                    "worker",
                    "other",
                    "Sent a short, friendly letter with a photo of the worker and an offer to meet "
                    "wherever suits.",
                ),
                (
                    86,
                    "text",
                    "worker",
                    "no-answer",
                    "Texted to offer a first meeting at the lodgings or a café of their choice. No "
                    "reply.",
                ),
                (
                    79,
                    "visit",
                    "worker",
                    "no-answer",
                    "Called at the lodgings at the agreed time with the leaving-care worker. No "
                    "answer.",
                ),
                (
                    72,
                    "text",
                    "worker",
                    "no-answer",
                    "Texted to say no worries about missing us. No reply.",
                ),
                (
                    64,
                    "in-person",
                    "other-agency",
                    "missed",
                    "The leaving-care worker set up a joint meeting at college; they didn't come.",
                ),
                (
                    51,
                    "letter",
                    "worker",
                    "other",
                    "Sent a handwritten card: no pressure, here when wanted, and the ways to reach "
                    "us.",
                ),
                (
                    37,
                    "phone",
                    "other-agency",
                    "other",
                    "Leaving-care worker says they're at college most days and seem settled.",
                ),
                (
                    22,
                    "text",
                    "worker",
                    "no-answer",
                    "Texted about the job-search drop-in at the day centre, since work is what they "
                    "asked about. No reply.",
                ),
                (
                    8,
                    "visit",
                    "worker",
                    "no-answer",
                    "Called round with the leaving-care worker. The landlady said they were out at "
                    "college.",
                ),
            ],
            "triggers": [
                (
                    "thoughts",
                    "Expects a new worker to leave after a few months, so sees little point in "
                    "starting.",
                ),
                (
                    "relationships",
                    "Has had many professionals in their life and is tired of retelling their story.",
                ),
            ],
            "plan": None,
            "reflection": None,
        },
        {
            "gender": "female",
            "age_band": "35-44",
            "context": (
                "Was living in temporary accommodation with her teenage son after fleeing domestic "
                "abuse, with anxiety that made phone calls hard. The service coordinated housing, "
                "debt advice and counselling; what mattered most to her was a settled home near "
                "her son's school."
            ),
            "pattern": "steady",
            "opened_days_ago": 380,
            "closed": True,
            "timeline": [
                (
                    376,
                    "in-person",
                    "other-agency",
                    "attended",
                    "Joint first meeting with her housing officer. She brought a list of questions, "
                    "which helped.",
                ),
                (
                    362,
                    "in-person",
                    "worker",
                    "attended",
                    "Agreed her engagement plan together; texts only, as calls make her anxious.",
                ),
                (
                    341,
                    "in-person",
                    "worker",
                    "attended",
                    "Filled in the debt advice referral together.",
                ),
                (
                    320,
                    "text",
                    "worker",
                    "reached",
                    "Quick check-in by text after her debt advice meeting; she said it went well.",
                ),
                (
                    298,
                    "in-person",
                    "worker",
                    "attended",
                    "Talked about counselling. She's willing to try if the sessions are in school "
                    "hours.",
                ),
                (
                    270,
                    "text",
                    "person",
                    "cancelled",
                    "She cancelled the day before as her son was ill, and rebooked for the next "
                    "week.",
                ),
                (
                    263,
                    "in-person",
                    "worker",
                    "attended",
                    "Came to the rebooked session. Counselling has started; hard but useful, she "
                    "said.",
                ),
                (230, "in-person", "worker", "attended", "Shortlisted for a flat near the school."),
                (
                    195,
                    "visit",
                    "worker",
                    "attended",
                    "Viewed the new flat with her before signing. She was quietly delighted.",
                ),
                (
                    160,
                    "visit",
                    "worker",
                    "attended",
                    "Settling in. Gas and electricity accounts sorted together.",
                ),
                (
                    120,
                    "in-person",
                    "worker",
                    "attended",
                    "Talked about what ending with us would look like and who she could call "
                    "instead.",
                ),
                (
                    96,
                    "in-person",
                    "worker",
                    "attended",
                    "Final session. Ending agreed together; she keeps her counsellor and the "
                    "women's centre.",
                ),
            ],
            "triggers": [
                (
                    "feelings",
                    "Anxiety about calls from unknown numbers, after years of threatening calls.",
                ),
                (
                    "relationships",
                    "Her son's health and schooling come first, and sessions give way to them.",
                ),
            ],
            "plan": {
                "made_with_person": True,
                "preferred_times": "School hours, Tuesday to Thursday.",
                "preferred_methods": ["text", "in-person", "visit"],
                "others_may_contact": "Her housing officer, about housing matters only.",
                "during_disengagement": (
                    "If she goes quiet we send one text a week and ask the housing officer to "
                    "check in. She told us silence usually means she's overwhelmed, not that she "
                    "wants to stop."
                ),
                "reminders": "A text the morning before.",
                "agreed_days_ago": 362,
                "review_in_days": 30,
            },
            "reflection": None,
        },
        {
            "gender": "male",
            "age_band": "25-34",
            "context": (
                "Lives in a hostel, uses heroin and has been on a methadone script on and off, "
                "with a long record of missed appointments across services. The service "
                "coordinates his housing, treatment and benefits; what matters to him is getting "
                "back in touch with his daughter."
            ),
            "pattern": "sporadic",
            "opened_days_ago": 200,
            "closed": False,
            "timeline": [
                (
                    196,
                    "phone",
                    "other-agency",
                    "other",
                    "Referral from the drug service, who say he often drops away after the first "
                    "few weeks.",
                ),
                (
                    193,
                    "in-person",
                    "worker",
                    "attended",
                    "First meeting at the hostel café. Guarded; asked what we'd write down about "
                    "him.",
                ),
                (
                    186,
                    "in-person",
                    "worker",
                    "missed",
                    "Missed the second session. Rang within the hour but no answer.",
                ),
                (
                    184,
                    "phone",
                    "person",
                    "reached",
                    "He rang back. Overslept after a bad night and sounded relieved we'd called.",
                ),
                (
                    172,
                    "in-person",
                    "worker",
                    "attended",
                    "Showed him exactly what goes in his notes; he read them and relaxed a little.",
                ),
                (
                    151,
                    "in-person",
                    "worker",
                    "attended",
                    "Agreed his engagement plan together; he wants his hostel keyworker as back-up.",
                ),
                (
                    137,
                    "text",
                    "person",
                    "cancelled",
                    "He texted to cancel; the session clashed with his script pick-up.",
                ),
                (
                    130,
                    "in-person",
                    "worker",
                    "missed",
                    "Missed the rebooked session. Hostel staff say he's been out a lot.",
                ),
                (121, "text", "worker", "no-answer", "Texted as agreed in his plan. No reply."),
                (
                    113,
                    "visit",
                    "worker",
                    "no-answer",
                    "Visited the hostel with his keyworker. He wasn't in.",
                ),
                (
                    104,
                    "phone",
                    "other-agency",
                    "reached",
                    "The drug service says he's been collecting his script and asked them to tell "
                    "us he wants to come back.",
                ),
                (
                    98,
                    "in-person",
                    "person",
                    "attended",
                    "Turned up unannounced at the day centre. Talked about a letter about his "
                    "daughter.",
                ),
                (
                    77,
                    "in-person",
                    "worker",
                    "attended",
                    "Moved sessions to straight after his script pick-up, which he suggested.",
                ),
                (
                    55,
                    "in-person",
                    "worker",
                    "missed",
                    "Missed. Texted the same day; he replied that evening with an apology.",
                ),
                (
                    34,
                    "in-person",
                    "worker",
                    "attended",
                    "Good session. Wrote a first letter to his daughter's mum together.",
                ),
                (
                    12,
                    "in-person",
                    "worker",
                    "missed",
                    "Missed. Texted; he replied he'd be in next week.",
                ),
            ],
            "triggers": [
                (
                    "thoughts",
                    "Suspects that whatever he says will be passed to other agencies and used "
                    "against him.",
                ),
                (
                    "behaviour",
                    "Script pick-up times take priority and have clashed with our sessions.",
                ),
                (
                    "relationships",
                    "Contact about his daughter brings both hope and a sense of having failed her.",
                ),
            ],
            "plan": {
                "made_with_person": True,
                "preferred_times": (
                    "Late morning, straight after he has collected his script; not on Fridays."
                ),
                "preferred_methods": ["text", "in-person"],
                "others_may_contact": "His hostel keyworker and his drug worker.",
                "during_disengagement": (
                    "A text every few days, then a visit with his keyworker after a week. We ask "
                    "the drug service to pass on a message when he collects his script, and he can "
                    "come back without rebooking."
                ),
                "reminders": "A text the evening before.",
                "agreed_days_ago": 151,
                "review_in_days": 10,
            },
            "reflection": {
                "author": "staff",
                "identify": (
                    "He has a long history of dropping away from services a few weeks in, and he "
                    "warned us about it at the first meeting. With us he has come and gone: a good "
                    "session, then a miss, and one spell of about a month with no contact."
                ),
                "analyse": (
                    "Our session times clashed with his script pick-up, which we only found out "
                    "after weeks of misses. His worry about what we write down means he tests "
                    "whether we're trustworthy, and being chased hard feels like surveillance. "
                    "When he cancelled on a busy week it was a relief, and that probably showed in "
                    "how slowly we followed up."
                ),
                "plan": (
                    "Keep sessions straight after script pick-up and let him read his notes "
                    "whenever he likes. Follow up a missed session the same day, even when the "
                    "week is busy."
                ),
                "feelings": ["relief", "frustration"],
                "other_feeling": "",
                "responses": [
                    (
                        "facilitator",
                        "Really honest about the relief. A same-day follow-up rule for the whole "
                        "team might take the pressure off individual judgement on busy weeks.",
                    ),
                ],
            },
        },
        {
            "gender": "female",
            "age_band": "55-64",
            "context": (
                "Referred after repeated A&E attendances linked to drinking and falls, and lives "
                "alone in a council flat. The service is still getting to know what she wants; so "
                "far she has talked about loneliness and her garden."
            ),
            "pattern": None,
            "opened_days_ago": 70,
            "closed": False,
            "timeline": [
                (
                    68,
                    "phone",
                    "other-agency",
                    "other",
                    "Referral from the hospital's alcohol liaison nurse after repeated A&E visits.",
                ),
                (
                    64,
                    "phone",
                    "worker",
                    "no-answer",
                    "Rang to introduce ourselves. No answer; left a short message.",
                ),
                (
                    61,
                    "phone",
                    "person",
                    "reached",
                    "She rang back. Wary, but agreed to a home visit.",
                ),
                (
                    55,
                    "visit",
                    "worker",
                    "attended",
                    "First home visit. She showed the worker her garden and talked about feeling "
                    "lonely since she stopped work.",
                ),
                (
                    41,
                    "visit",
                    "worker",
                    "no-answer",
                    "No answer at the agreed time. A neighbour said she'd gone to her sister's.",
                ),
                (
                    39,
                    "phone",
                    "person",
                    "reached",
                    "She rang to apologise; she'd forgotten. Rebooked and wrote it on her calendar.",
                ),
                (
                    27,
                    "visit",
                    "worker",
                    "attended",
                    "Talked about the day centre's gardening group; she's thinking about it.",
                ),
                (
                    13,
                    "phone",
                    "person",
                    "cancelled",
                    "She rang that morning to cancel; not feeling well.",
                ),
                (
                    6,
                    "phone",
                    "worker",
                    "reached",
                    "Checked in. Feeling better and asked for a visit next week.",
                ),
            ],
            "triggers": [
                ("feelings", "Embarrassment about her drinking makes her cancel on bad days."),
                (
                    "behaviour",
                    "Forgets appointments that aren't written down somewhere she'll see them.",
                ),
            ],
            "plan": None,
            "reflection": None,
        },
        {
            "gender": "male",
            "age_band": "35-44",
            "context": (
                "Referred by his GP practice after repeated crisis calls and a recent overdose, "
                "and lives in a privately rented bedsit. The service aims to join up mental "
                "health, housing and drug support; other agencies say he wants help with debts, "
                "but he has not yet told us himself."
            ),
            "pattern": "non-starter",
            "opened_days_ago": 130,
            "closed": False,
            "timeline": [
                (
                    127,
                    "letter",
                    "other-agency",
                    "other",
                    "Referral letter from the GP practice, noting that he misses most appointments "
                    "there.",
                ),
                (
                    124,
                    "phone",
                    "worker",
                    "no-answer",
                    "Rang to introduce the service. The number rang out.",
                ),
                (
                    120,
                    "letter",
                    "worker",
                    "other",
                    "Wrote offering a first meeting at the GP practice, somewhere he already knows.",
                ),
                (
                    113,
                    "in-person",
                    "worker",
                    "missed",
                    "Didn't come to the first meeting at the practice.",
                ),
                (
                    110,
                    "text",
                    "worker",
                    "no-answer",
                    "Texted to say sorry we missed each other and offered a home visit instead.",
                ),
                (
                    101,
                    "visit",
                    "worker",
                    "no-answer",
                    "Home visit as offered. No answer, curtains drawn. Left a card.",
                ),
                (
                    92,
                    "phone",
                    "other-agency",
                    "other",
                    "The community mental health team says he told them he doesn't want another "
                    "service.",
                ),
                (
                    85,
                    "in-person",
                    "other-agency",
                    "other",
                    "Professionals' meeting. Drafted an engagement plan from what others know of "
                    "his wishes.",
                ),
                (
                    70,
                    "letter",
                    "worker",
                    "other",
                    "Wrote to him explaining the plan and asking him to change anything he "
                    "disagrees with.",
                ),
                (
                    56,
                    "visit",
                    "worker",
                    "no-answer",
                    "Home visit. No answer; the card from last time was still in the door.",
                ),
                (
                    40,
                    "phone",
                    "other-agency",
                    "other",
                    "The GP practice warned he may be taken off their list if he keeps missing "
                    "appointments.",
                ),
                (
                    33,
                    "text",
                    "worker",
                    "no-answer",
                    "Texted an offer of help with the debt letters the GP mentioned. No reply.",
                ),
                (
                    15,
                    "visit",
                    "worker",
                    "no-answer",
                    "Visited with the day centre's debt adviser. No answer; left a short note.",
                ),
            ],
            "triggers": [
                ("thoughts", "Believes services only turn up to judge him or take something away."),
                ("feelings", "Shame about his debts and the state of his room."),
            ],
            "plan": {
                "made_with_person": False,
                "preferred_times": (
                    "Not known yet; the GP practice says afternoons suit him better."
                ),
                "preferred_methods": ["letter", "visit"],
                "others_may_contact": (
                    "His GP and the community mental health team, who both have some contact with "
                    "him."
                ),
                "during_disengagement": (
                    "Until we meet him, we write once a fortnight, visit once a month and share "
                    "concerns with the GP. We review this plan with him as soon as he gets in "
                    "touch."
                ),
                "reminders": "None agreed yet; letters go out a week ahead.",
                "agreed_days_ago": 85,
                "review_in_days": 14,
            },
            "reflection": {
                "author": "facilitator",
                "identify": (
                    "He has never come to a first appointment with us and misses most at his GP "
                    "practice. Other agencies describe the same pattern going back years, and he "
                    "has said he doesn't want another service."
                ),
                "analyse": (
                    "Every service he meets starts with forms and rules, and his silence may be a "
                    "reasonable answer to that. Our plan was written about him in a meeting he "
                    "wasn't at, which repeats the very thing he dislikes. The threat of taking him "
                    "off the GP list felt like a rule applied with no thought for why he doesn't "
                    "come, and the team was angry about it."
                ),
                "plan": (
                    "Stop offering appointments and offer something useful instead: help with the "
                    "debt letters, at his door, with a short note he can ignore. Ask the practice "
                    "to hold off while we try, and rewrite the plan with him the first time we "
                    "meet."
                ),
                "feelings": ["indignation", "frustration"],
                "other_feeling": "",
                "responses": [
                    (
                        "grace",
                        "Agree about the GP list. Could we put the request in writing so the "
                        "practice has something to point to?",
                    ),
                    (
                        "staff",
                        "A note he can ignore feels right. Maybe one line about the debts, so he "
                        "knows why we're there.",
                    ),
                ],
            },
        },
        {
            "gender": "not-recorded",
            "age_band": "45-54",
            "context": (
                "A person with a learning disability and long-term depression, living in supported "
                "housing and recently bereaved. The service links their housing support, the GP "
                "and a bereavement group; what matters most to them is keeping their volunteering "
                "at the charity shop."
            ),
            "pattern": "steady",
            "opened_days_ago": 160,
            "closed": False,
            "timeline": [
                (
                    157,
                    "in-person",
                    "other-agency",
                    "attended",
                    "First meeting with their support worker there. They asked for things in "
                    "writing with pictures.",
                ),
                (
                    143,
                    "in-person",
                    "worker",
                    "attended",
                    "Made an easy-read engagement plan together.",
                ),
                (
                    129,
                    "in-person",
                    "worker",
                    "attended",
                    "Talked about the charity shop; they've been asked to help on the till.",
                ),
                (
                    115,
                    "in-person",
                    "worker",
                    "attended",
                    "Talked about their mum and whether a bereavement group might help.",
                ),
                (
                    101,
                    "text",
                    "person",
                    "cancelled",
                    "They cancelled by text as their volunteering shift had changed. Rebooked for "
                    "later that week.",
                ),
                (
                    99,
                    "in-person",
                    "worker",
                    "attended",
                    "Came to the rebooked session, proud of being asked to do extra shifts.",
                ),
                (
                    85,
                    "in-person",
                    "worker",
                    "attended",
                    "Went through a letter from the GP together, using the easy-read version.",
                ),
                (
                    71,
                    "in-person",
                    "worker",
                    "missed",
                    "Missed. Their support worker said it was the anniversary of their mum's death.",
                ),
                (
                    70,
                    "phone",
                    "worker",
                    "reached",
                    "Spoke by phone. Low but safe; agreed to come in next week.",
                ),
                (
                    57,
                    "in-person",
                    "worker",
                    "attended",
                    "Talked about the anniversary and what helped on the day.",
                ),
                (
                    43,
                    "in-person",
                    "worker",
                    "attended",
                    "Looked at the bereavement group leaflet together and agreed to try one session.",
                ),
                (
                    29,
                    "in-person",
                    "worker",
                    "attended",
                    "Went to their first bereavement group last week with their support worker.",
                ),
                (
                    15,
                    "in-person",
                    "worker",
                    "attended",
                    "Said the group was hard but they'll go again. Shop shifts going well.",
                ),
            ],
            "triggers": [
                ("feelings", "Grief around their mum's birthday and the anniversary of her death."),
                (
                    "behaviour",
                    "Changes to the volunteering rota push other appointments out of their mind.",
                ),
            ],
            "plan": {
                "made_with_person": True,
                "preferred_times": "Wednesday afternoons, after volunteering finishes.",
                "preferred_methods": ["in-person", "text"],
                "others_may_contact": "Their support worker at the supported housing.",
                "during_disengagement": (
                    "If they miss two sessions we ask their support worker to check in and send an "
                    "easy-read letter with pictures. We keep the same day and time, so there's "
                    "nothing new to remember."
                ),
                "reminders": (
                    "A picture text the day before, and the support worker reminds them that "
                    "morning."
                ),
                "agreed_days_ago": 143,
                "review_in_days": 45,
            },
            "reflection": None,
        },
        {
            "gender": "female",
            "age_band": "18-24",
            "context": (
                "A young mum with a toddler who left care and then a mother-and-baby unit, with "
                "anxiety and past self-harm. The service coordinates her move-on housing, mental "
                "health support and parenting help; what matters most to her is keeping her child "
                "with her."
            ),
            "pattern": "dropped-out",
            "opened_days_ago": 210,
            "closed": False,
            "timeline": [
                (
                    206,
                    "phone",
                    "other-agency",
                    "other",
                    "Referral from the unit's staff. She agreed to it and asked for a female worker.",
                ),
                (
                    201,
                    "visit",
                    "worker",
                    "attended",
                    "First visit at the unit. She talked about wanting a flat near her nan.",
                ),
                (
                    187,
                    "visit",
                    "worker",
                    "attended",
                    "Made her engagement plan together; she wants texts, not calls.",
                ),
                (
                    173,
                    "in-person",
                    "worker",
                    "attended",
                    "Came to the children's centre group with the worker. Chatty and relaxed.",
                ),
                (
                    159,
                    "visit",
                    "worker",
                    "attended",
                    "Filled in the housing register form together.",
                ),
                (145, "visit", "worker", "attended", "Bidding for flats together; she's hopeful."),
                (
                    124,
                    "visit",
                    "worker",
                    "attended",
                    "Moved into her own flat last week. Mentioned a new partner.",
                ),
                (
                    103,
                    "visit",
                    "worker",
                    "attended",
                    "Flat coming together. She'd like help with a cot and a washing machine.",
                ),
                (
                    82,
                    "visit",
                    "worker",
                    "attended",
                    "Partner present and answered most questions for her. Booked the next visit for "
                    "when he's at work.",
                ),
                (
                    61,
                    "text",
                    "person",
                    "reached",
                    "She texted to move the visit, saying she's busy. Rebooked.",
                ),
                (
                    47,
                    "visit",
                    "worker",
                    "attended",
                    "Brief doorstep visit. She said everything's fine and she didn't need to talk.",
                ),
                (
                    40,
                    "visit",
                    "worker",
                    "no-answer",
                    "No answer at the agreed time. A text afterwards went unread.",
                ),
                (
                    33,
                    "text",
                    "worker",
                    "no-answer",
                    "Texted using the wording she chose in her plan. No reply.",
                ),
                (
                    24,
                    "phone",
                    "other-agency",
                    "no-answer",
                    "The health visitor hasn't managed to see her either. Agreed to share any "
                    "contact straight away.",
                ),
                (
                    12,
                    "visit",
                    "worker",
                    "no-answer",
                    "Joint visit with the health visitor. No answer; left a card addressed to her "
                    "only.",
                ),
                (
                    5,
                    "text",
                    "worker",
                    "no-answer",
                    "Texted again with her chosen wording. No reply yet.",
                ),
            ],
            "triggers": [
                (
                    "relationships",
                    "A new partner who seems to answer for her and may not want workers around.",
                ),
                (
                    "thoughts",
                    "Fears that admitting any struggle will put her child's place with her at risk.",
                ),
                ("feelings", "Anxiety that spikes before professional meetings about her child."),
            ],
            "plan": {
                "made_with_person": True,
                "preferred_times": "Weekday late mornings; not while her child naps after lunch.",
                "preferred_methods": ["text", "visit"],
                "others_may_contact": "Her health visitor and the staff at the children's centre.",
                "during_disengagement": (
                    "If she goes quiet we text using a phrase she chose, so she knows it's us and "
                    "not a concern. After two weeks we visit with the health visitor, and we tell "
                    "her honestly if we're worried about safety."
                ),
                "reminders": "A text the day before.",
                "agreed_days_ago": 187,
                "review_in_days": 8,
            },
            "reflection": {
                "author": "staff",
                "identify": (
                    "She engaged well for about five months, from the mother-and-baby unit through "
                    "her move into her own flat. Since a new partner arrived, visits have got "
                    "shorter, and for six weeks there has been no contact at all."
                ),
                "analyse": (
                    "The timing points to the relationship rather than to us, though we can't know "
                    "that yet. Her fear that struggling means losing her child makes silence feel "
                    "safer than honesty. The worry about her safety is hard to sit with, but "
                    "pushing harder could confirm her fear that workers are there to judge her."
                ),
                "plan": (
                    "Keep the agreed texts going and work closely with the health visitor so she "
                    "isn't getting mixed messages. Offer to meet at the children's centre, where "
                    "she felt relaxed, and talk with the safeguarding lead about what would change "
                    "our response."
                ),
                "feelings": ["anxiety"],
                "other_feeling": "",
                "responses": [
                    (
                        "grace",
                        "Good to name the worry. The children's centre idea is a gentle, "
                        "low-pressure way back in.",
                    ),
                ],
            },
        },
        {
            "gender": "male",
            "age_band": "65+",
            "context": (
                "An older man living alone in a very cluttered flat, drinking heavily, with his "
                "landlord threatening action over the state of the property. The service joins up "
                "housing, adult social care and the GP; what matters to him is staying in his home "
                "and keeping his late wife's things."
            ),
            "pattern": "sporadic",
            "opened_days_ago": 330,
            "closed": False,
            "timeline": [
                (
                    326,
                    "letter",
                    "other-agency",
                    "other",
                    "Referral from adult social care after the landlord raised concerns about the "
                    "flat.",
                ),
                (
                    320,
                    "visit",
                    "worker",
                    "no-answer",
                    "No answer at the first visit. Left a card explaining who we are.",
                ),
                (
                    316,
                    "phone",
                    "person",
                    "reached",
                    "He rang, annoyed that the card was where neighbours could see it. Happy to "
                    "have a visit if we ring first.",
                ),
                (
                    309,
                    "visit",
                    "worker",
                    "attended",
                    "First visit, on the doorstep. He talked about his wife and the garden she kept.",
                ),
                (
                    288,
                    "visit",
                    "worker",
                    "attended",
                    "Invited in for the first time. Agreed his engagement plan together.",
                ),
                (267, "phone", "person", "cancelled", "He rang to cancel after a bad night."),
                (
                    246,
                    "visit",
                    "worker",
                    "attended",
                    "Sorted one room together; he chose what stayed.",
                ),
                (
                    225,
                    "phone",
                    "worker",
                    "no-answer",
                    "Rang before the visit as agreed. No answer.",
                ),
                (
                    218,
                    "visit",
                    "worker",
                    "no-answer",
                    "No answer at the door. A neighbour said he's been going to the pub early.",
                ),
                (
                    196,
                    "visit",
                    "worker",
                    "no-answer",
                    "Visited with the GP practice nurse. No answer.",
                ),
                (
                    183,
                    "phone",
                    "other-agency",
                    "reached",
                    "The GP practice says he came in for blood tests, asked after his worker and "
                    "wants us to ring.",
                ),
                (
                    176,
                    "visit",
                    "worker",
                    "attended",
                    "He apologised for going quiet; the anniversary of his wife's death had been "
                    "hard.",
                ),
                (
                    120,
                    "visit",
                    "worker",
                    "missed",
                    "Not in at the agreed time. Rang later; he'd forgotten.",
                ),
                (
                    92,
                    "visit",
                    "worker",
                    "attended",
                    "Visit with the landlord's officer. He stayed calm and agreed a plan for the "
                    "kitchen.",
                ),
                (
                    60,
                    "visit",
                    "worker",
                    "missed",
                    "Not in. Rang the next morning; he'd been at the GP and forgot to let us know.",
                ),
                (
                    31,
                    "visit",
                    "worker",
                    "attended",
                    "Kitchen cleared; he's using the cooker again.",
                ),
            ],
            "triggers": [
                ("feelings", "Grief for his wife, sharpest around the anniversary of her death."),
                (
                    "thoughts",
                    "Fears that letting anyone in means being made to throw her things away.",
                ),
                ("behaviour", "Goes to the pub early on bad days and misses morning visits."),
            ],
            "plan": {
                "made_with_person": True,
                "preferred_times": "Weekday mornings before eleven, with a phone call first.",
                "preferred_methods": ["phone", "visit"],
                "others_may_contact": "The GP practice nurse, who he trusts.",
                "during_disengagement": (
                    "We ring twice a week and visit once a fortnight; if he hasn't been seen for "
                    "three weeks we ask the practice nurse to check in. Nothing is cleared without "
                    "his say."
                ),
                "reminders": "A phone call the day before and again that morning.",
                "agreed_days_ago": 288,
                "review_in_days": 20,
            },
            "reflection": None,
        },
        {
            "gender": "female",
            "age_band": "35-44",
            "context": (
                "Has long-term alcohol dependence and completed a community detox with the "
                "service's support; she lives with her mum, who is often unwell. The service "
                "coordinates her recovery support, housing and mental health care; what matters "
                "most to her is getting well enough to go back to work in care."
            ),
            "pattern": "dropped-out",
            "opened_days_ago": 260,
            "closed": False,
            "timeline": [
                (
                    255,
                    "phone",
                    "other-agency",
                    "other",
                    "Referral from the alcohol team ahead of a planned community detox.",
                ),
                (
                    251,
                    "in-person",
                    "worker",
                    "attended",
                    "First meeting at the alcohol team. Nervous about detox but determined.",
                ),
                (
                    237,
                    "visit",
                    "worker",
                    "attended",
                    "Home visit during detox week. Tired, but proud of getting through day three.",
                ),
                (
                    230,
                    "visit",
                    "worker",
                    "attended",
                    "Detox complete. Talked about what the next few weeks might look like.",
                ),
                (
                    216,
                    "in-person",
                    "worker",
                    "attended",
                    "Came to the recovery café with the worker and met a peer mentor she liked.",
                ),
                (
                    195,
                    "in-person",
                    "worker",
                    "attended",
                    "Talked about structure in her week; she's walking every morning.",
                ),
                (
                    174,
                    "in-person",
                    "worker",
                    "attended",
                    "Talking about going back to work part-time.",
                ),
                (153, "in-person", "worker", "attended", "Looked at care work vacancies together."),
                (
                    132,
                    "in-person",
                    "worker",
                    "attended",
                    "Quiet; said her mum had been unwell and she'd been doing most of the caring.",
                ),
                (
                    111,
                    "in-person",
                    "worker",
                    "attended",
                    "Said she'd had a drink at the weekend. We talked it through without judgement.",
                ),
                (
                    90,
                    "in-person",
                    "worker",
                    "attended",
                    "Left early. Said she's fine and doesn't need weekly sessions any more.",
                ),
                (
                    76,
                    "in-person",
                    "worker",
                    "missed",
                    "Missed. Texted to say we'd noticed and there's no judgement here.",
                ),
                (62, "phone", "worker", "no-answer", "Rang. No answer; left a friendly message."),
                (
                    45,
                    "visit",
                    "worker",
                    "no-answer",
                    "Home visit. She didn't come to the door; her mum said she's not up to seeing "
                    "anyone.",
                ),
                (
                    30,
                    "text",
                    "other-agency",
                    "no-answer",
                    "The peer mentor has tried too; no reply to her messages either.",
                ),
                (
                    14,
                    "text",
                    "worker",
                    "no-answer",
                    "Texted that a slip doesn't close the door here, and the recovery café is open "
                    "on Thursdays.",
                ),
            ],
            "triggers": [
                ("feelings", "Shame after a relapse, strongest when she has been doing well."),
                (
                    "thoughts",
                    "Believes she has let everyone down and that workers will be disappointed in "
                    "her.",
                ),
                (
                    "relationships",
                    "Caring for her mum when she's unwell leaves no room for her own recovery.",
                ),
            ],
            "plan": None,
            "reflection": {
                "author": "facilitator",
                "identify": (
                    "She engaged consistently for about five months, through detox and into early "
                    "recovery, and was one of the most settled people on the caseload. After "
                    "telling us about a drink she began to pull away, and for about three months "
                    "there has been no contact."
                ),
                "analyse": (
                    "The drop-off followed the slip closely, which fits her shame more than "
                    "anything about the sessions. We never made an engagement plan with her "
                    "because things were going so well, so there's no agreed route back now. The "
                    "frustration at losing her progress is real, but it belongs to us, not to her."
                ),
                "plan": (
                    "Ask the peer mentor whether they'd share something of their own relapse in a "
                    "message to her. When she's back in touch, make a plan together that treats a "
                    "slip as expected and says how we'll respond."
                ),
                "feelings": ["frustration", "anxiety"],
                "other_feeling": "",
                "responses": [
                    (
                        "priya",
                        "A lesson for all of us: make the plan when things are going well, not only "
                        "when they're wobbling.",
                    ),
                    (
                        "tom",
                        "Could the recovery café send a general invitation rather than a personal "
                        "chase? It might feel less exposing.",
                    ),
                ],
            },
        },
        {
            "gender": "male",
            "age_band": "25-34",
            "context": (
                "Sleeping in his car after a relationship ended, working irregular agency shifts "
                "and struggling with low mood. The service is helping with housing and his mental "
                "health; what matters most to him is keeping his job and seeing his son at "
                "weekends."
            ),
            "pattern": None,
            "opened_days_ago": 110,
            "closed": False,
            "timeline": [
                (
                    108,
                    "phone",
                    "other-agency",
                    "other",
                    "Referral from his Jobcentre work coach, with his agreement.",
                ),
                (
                    104,
                    "phone",
                    "worker",
                    "reached",
                    "Spoke by phone. He can only meet around shifts, which change every week.",
                ),
                (
                    99,
                    "in-person",
                    "worker",
                    "attended",
                    "Met at the day centre. Completed the housing register form together.",
                ),
                (
                    90,
                    "text",
                    "worker",
                    "no-answer",
                    "Texted to arrange the next meeting. No reply.",
                ),
                (83, "phone", "worker", "no-answer", "Rang. Straight to voicemail."),
                (
                    74,
                    "text",
                    "worker",
                    "no-answer",
                    "Texted to say the housing form has gone in and we'd like to catch up.",
                ),
                (66, "phone", "worker", "no-answer", "Rang again. Voicemail full."),
                (
                    61,
                    "text",
                    "person",
                    "reached",
                    "He texted: his phone had been cut off and he'd lost shifts for a fortnight.",
                ),
                (
                    57,
                    "in-person",
                    "person",
                    "attended",
                    "Met at the day centre. Talked about his mood; he agreed to see the GP.",
                ),
                (
                    43,
                    "in-person",
                    "worker",
                    "cancelled",
                    "He cancelled an hour before; offered a shift he couldn't turn down.",
                ),
                (
                    36,
                    "phone",
                    "worker",
                    "reached",
                    "Quick call after his shift. A room in a shared house has been offered.",
                ),
                (
                    22,
                    "in-person",
                    "worker",
                    "attended",
                    "Went through the tenancy offer together; viewing booked.",
                ),
                (
                    9,
                    "in-person",
                    "worker",
                    "missed",
                    "Missed the session, but texted later: the viewing went well and he's moving in.",
                ),
            ],
            "triggers": [
                (
                    "behaviour",
                    "Takes shifts offered at short notice, even when they clash with appointments.",
                ),
                ("feelings", "Low mood after weekends without his son."),
                ("thoughts", "Sees asking for help as a sign he's failing as a dad."),
            ],
            "plan": None,
            "reflection": None,
        },
    ],
    "South": [
        {
            "gender": "male",
            "age_band": "25-34",
            "context": (
                "On licence after a prison sentence, first in approved premises and now a shared "
                "house, with a history of recall for missed appointments. Probation and housing "
                "support work together on his licence and his move towards a tenancy; what matters "
                "most to him is staying out and rebuilding things with his mum."
            ),
            "pattern": "sporadic",
            "opened_days_ago": 320,
            "closed": False,
            "timeline": [
                (
                    316,
                    "in-person",
                    "other-agency",
                    "attended",
                    "First appointment on release, at probation, with the housing support worker "
                    "there.",
                ),
                (
                    302,
                    "in-person",
                    "worker",
                    "missed",
                    "Missed. Rang that afternoon; he'd gone to see his mum and lost track of time.",
                ),
                (
                    295,
                    "in-person",
                    "worker",
                    "attended",
                    "Agreed his engagement plan together, including a text to his mum if he goes "
                    "quiet.",
                ),
                (267, "in-person", "worker", "missed", "Missed. Texted the same day; no reply."),
                (260, "phone", "worker", "no-answer", "Rang twice. No answer."),
                (
                    246,
                    "visit",
                    "worker",
                    "no-answer",
                    "Visited the shared house. Housemates hadn't seen him for several days.",
                ),
                (
                    240,
                    "phone",
                    "other-agency",
                    "returned-to-custody",
                    "Probation confirmed he has been arrested and recalled to prison.",
                ),
                (
                    233,
                    "letter",
                    "worker",
                    "other",
                    "Wrote to him in prison: his case stays open and we'll keep in touch while he's "
                    "inside.",
                ),
                (
                    219,
                    "video",
                    "worker",
                    "attended",
                    "Video call from prison. He said once he'd missed one appointment he stopped "
                    "coming, expecting recall anyway.",
                ),
                (
                    177,
                    "video",
                    "worker",
                    "attended",
                    "Video call with the prison resettlement team to plan a room for his release.",
                ),
                (
                    149,
                    "in-person",
                    "worker",
                    "attended",
                    "Met him at the gate on release and went straight to the new room together.",
                ),
                (
                    135,
                    "in-person",
                    "worker",
                    "attended",
                    "Reviewed his engagement plan after the recall; added a same-day call after any "
                    "miss.",
                ),
                (
                    107,
                    "in-person",
                    "worker",
                    "missed",
                    "Missed. Rang that afternoon as agreed; he answered and came in the next day.",
                ),
                (
                    50,
                    "phone",
                    "person",
                    "cancelled",
                    "He rang ahead to cancel for a job interview. Rebooked for later that week.",
                ),
                (
                    46,
                    "in-person",
                    "worker",
                    "attended",
                    "Came to the rebooked slot. He got the job, three days a week.",
                ),
                (
                    18,
                    "in-person",
                    "worker",
                    "attended",
                    "Talked about managing work, licence appointments and visits to his mum.",
                ),
            ],
            "triggers": [
                (
                    "behaviour",
                    "After one missed appointment he stops coming altogether, expecting recall "
                    "anyway.",
                ),
                (
                    "relationships",
                    "Time with his mum, who is unwell, pushes appointments out of his mind.",
                ),
                ("thoughts", "Sees probation as waiting for him to fail."),
            ],
            "plan": {
                "made_with_person": True,
                "preferred_times": "Midweek afternoons; not Mondays, when he visits his mum.",
                "preferred_methods": ["text", "phone", "in-person"],
                "others_may_contact": "His mum, if he hasn't replied to two texts in a day.",
                "during_disengagement": (
                    "We ring the same day after any miss, and he rings back by the end of the next "
                    "day. A miss is talked through first and never met with a warning letter "
                    "alone; we're honest about when a miss would have to be reported."
                ),
                "reminders": "A text on the morning of each appointment.",
                "agreed_days_ago": 135,
                "review_in_days": 28,
            },
            "reflection": {
                "author": "outsider",
                "identify": (
                    "He has been recalled before for missed appointments, and the same pattern "
                    "began again a few weeks after release: one miss, then nothing. He was "
                    "recalled after nearly four weeks without contact, and we kept writing and "
                    "video-calling while he was inside."
                ),
                "analyse": (
                    "His belief that one miss means recall anyway turns a small slip into a "
                    "complete drop-out. There was indignation in the team that recall came before "
                    "anyone had talked to him, and anxiety during the silence about where he was. "
                    "Staying in touch in prison gave us the conversation that made the current "
                    "plan possible."
                ),
                "plan": (
                    "Keep the same-day call after any miss and be straight with him about what "
                    "would actually lead to a breach. Review the plan after three months, with his "
                    "mum involved if he wants that."
                ),
                "feelings": ["anxiety", "indignation"],
                "other_feeling": "",
                "responses": [
                    (
                        "dan",
                        "The video calls from prison made the difference here. Worth writing up as "
                        "a practice example for the team.",
                    ),
                    (
                        "south.facilitator",
                        "Could we talk at team meeting about how we explain breach, so people don't "
                        "hear 'one miss and you're out'?",
                    ),
                ],
            },
        },
        {
            "gender": "female",
            "age_band": "35-44",
            "context": (
                "On a community order for shoplifting, living in a housing association flat with "
                "rent arrears and two children at primary school. Probation and housing support "
                "are working on her order, the arrears and a benefits claim; what matters most to "
                "her is keeping the family's home."
            ),
            "pattern": "steady",
            "opened_days_ago": 250,
            "closed": False,
            "timeline": [
                (
                    247,
                    "in-person",
                    "other-agency",
                    "attended",
                    "Induction at probation with the housing support worker. She asked for "
                    "appointments in school hours.",
                ),
                (
                    240,
                    "in-person",
                    "worker",
                    "attended",
                    "Agreed her engagement plan together, built around the school run.",
                ),
                (
                    226,
                    "in-person",
                    "worker",
                    "attended",
                    "Listed every debt together; less than she'd feared.",
                ),
                (
                    212,
                    "in-person",
                    "worker",
                    "attended",
                    "Rang the housing association together about a repayment plan.",
                ),
                (
                    198,
                    "phone",
                    "person",
                    "reached",
                    "She rang ahead: her youngest was ill. Switched to a phone session.",
                ),
                (
                    184,
                    "in-person",
                    "worker",
                    "attended",
                    "Went through her Universal Credit statement together.",
                ),
                (
                    170,
                    "in-person",
                    "worker",
                    "attended",
                    "Arrears repayment plan agreed with the housing association.",
                ),
                (
                    149,
                    "in-person",
                    "worker",
                    "attended",
                    "Talked about how unpaid work fits around the school holidays.",
                ),
                (
                    128,
                    "in-person",
                    "worker",
                    "missed",
                    "Missed for the first time. She texted an hour later; she'd got the day wrong.",
                ),
                (
                    126,
                    "in-person",
                    "person",
                    "attended",
                    "Came to the rebooked session. Childcare costs now included in her claim.",
                ),
                (
                    98,
                    "in-person",
                    "worker",
                    "attended",
                    "Steady session. Arrears going down month by month.",
                ),
                (70, "in-person", "worker", "attended", "Unpaid work hours nearly complete."),
                (
                    42,
                    "in-person",
                    "worker",
                    "attended",
                    "Talked about a college course for when the children are older.",
                ),
                (
                    14,
                    "in-person",
                    "worker",
                    "attended",
                    "Arrears down by half. Talked about what support looks like after the order "
                    "ends.",
                ),
            ],
            "triggers": [
                (
                    "relationships",
                    "Childcare comes first; a sick child means a cancelled appointment.",
                ),
                (
                    "thoughts",
                    "Worries that any slip will be treated as a breach and cost her the flat.",
                ),
            ],
            "plan": {
                "made_with_person": True,
                "preferred_times": "Tuesday to Thursday, between school drop-off and pick-up.",
                "preferred_methods": ["in-person", "phone", "text"],
                "others_may_contact": "Nobody else; she prefers to deal with us directly.",
                "during_disengagement": (
                    "If she misses, we text that day and offer a phone session rather than a "
                    "rebooked visit. She tells us ahead of school holidays, when we switch to "
                    "phone contact."
                ),
                "reminders": "A text the morning before.",
                "agreed_days_ago": 240,
                "review_in_days": 35,
            },
            "reflection": None,
        },
        {
            "gender": "male",
            "age_band": "18-24",
            "context": (
                "A young man released from custody into a supported housing project, referred for "
                "housing support alongside his licence. He reports to probation but has never come "
                "to a housing support appointment; project staff say he talks about getting into "
                "boxing."
            ),
            "pattern": "non-starter",
            "opened_days_ago": 75,
            "closed": False,
            "timeline": [
                (
                    73,
                    "phone",
                    "other-agency",
                    "other",
                    "Referral from his probation officer on the day of release.",
                ),
                (
                    71,
                    "letter",
                    "worker",
                    "other",
                    "First appointment letter left at the project, with a photo of the worker and "
                    "what the meeting is for.",
                ),
                (
                    66,
                    "in-person",
                    "worker",
                    "missed",
                    "Didn't come to the first appointment at the project office.",
                ),
                (
                    65,
                    "text",
                    "worker",
                    "no-answer",
                    "Texted to ask what would make a meeting easier. No reply.",
                ),
                (
                    58,
                    "in-person",
                    "worker",
                    "missed",
                    "Missed the second appointment. Project staff say he was in his room.",
                ),
                (
                    52,
                    "phone",
                    "other-agency",
                    "other",
                    "His probation officer agreed to mention a joint meeting at his next report.",
                ),
                (
                    45,
                    "in-person",
                    "worker",
                    "missed",
                    "Didn't come to the joint slot. Probation says he reported the day before and "
                    "seemed fine.",
                ),
                (
                    37,
                    "visit",
                    "worker",
                    "no-answer",
                    "Knocked on his door at the project. No answer.",
                ),
                (
                    23,
                    "letter",
                    "worker",
                    "other",
                    "Wrote a short note offering help with boxing gym membership, not another "
                    "appointment.",
                ),
                (
                    9,
                    "text",
                    "worker",
                    "no-answer",
                    "Texted details of the gym's free taster session. Read, but no reply.",
                ),
            ],
            "triggers": [
                (
                    "thoughts",
                    "Expects housing support to be another set of rules he can be breached on.",
                ),
                ("relationships", "Wary of older male staff after experiences in custody."),
            ],
            "plan": None,
            "reflection": {
                "author": "south.facilitator",
                "identify": (
                    "He has attended every probation appointment since release but none of ours. "
                    "Project staff say he's in his room most days, so he's choosing not to come "
                    "rather than unable to."
                ),
                "analyse": (
                    "To him we probably look like part of his licence, which he copes with by "
                    "doing the bare minimum. Our letters and appointment slots look just like "
                    "probation's, and we've offered meetings rather than anything he has asked "
                    "for. The empty slots were frustrating, and knowing how isolated he is, far "
                    "from home, is a worry."
                ),
                "plan": (
                    "Drop formal appointments and offer practical help with the boxing gym, which "
                    "is what he talks about. Ask whether he'd prefer a younger or a female worker, "
                    "and agree with probation that our contact isn't a licence requirement."
                ),
                "feelings": ["frustration", "anxiety"],
                "other_feeling": "",
                "responses": [
                    (
                        "hana",
                        "Happy to go with you to the gym taster; a different face might take the "
                        "pressure off.",
                    ),
                    (
                        "outsider",
                        "Good catch that our letters look like probation's. Could we redesign the "
                        "first letter we send?",
                    ),
                ],
            },
        },
        {
            "gender": "female",
            "age_band": "45-54",
            "context": (
                "In a private tenancy with serious rent arrears and depression, serving a "
                "suspended sentence order. Housing support and probation work together on her "
                "tenancy and order; what matters most to her is not losing the flat she has lived "
                "in for years."
            ),
            "pattern": "dropped-out",
            "opened_days_ago": 290,
            "closed": False,
            "timeline": [
                (
                    286,
                    "in-person",
                    "other-agency",
                    "attended",
                    "Induction at probation with the housing support worker. Frank about the "
                    "arrears.",
                ),
                (
                    272,
                    "in-person",
                    "worker",
                    "attended",
                    "Agreed her engagement plan together; letters frighten her, so texts come first.",
                ),
                (
                    237,
                    "in-person",
                    "worker",
                    "attended",
                    "Applied for a hardship payment together.",
                ),
                (
                    216,
                    "in-person",
                    "worker",
                    "attended",
                    "Sorted her post into piles: urgent, can wait, and old news.",
                ),
                (
                    195,
                    "visit",
                    "worker",
                    "attended",
                    "Home visit. Went through the landlord's letters with her; most were out of "
                    "date.",
                ),
                (
                    174,
                    "in-person",
                    "worker",
                    "attended",
                    "Talked about her mood; she agreed to see the GP about her medication.",
                ),
                (
                    146,
                    "in-person",
                    "worker",
                    "attended",
                    "Hardship payment refused on a technicality. She was tearful.",
                ),
                (
                    118,
                    "in-person",
                    "worker",
                    "attended",
                    "Asked for the hardship decision to be looked at again. She seemed flat.",
                ),
                (
                    90,
                    "in-person",
                    "worker",
                    "attended",
                    "The landlord has served notice. She said she feels she has failed.",
                ),
                (
                    71,
                    "in-person",
                    "worker",
                    "attended",
                    "Quiet session about emergency housing options; hard for her to hear.",
                ),
                (
                    52,
                    "phone",
                    "worker",
                    "reached",
                    "Brief call. She said she's sorting things herself and will come in next week.",
                ),
                (45, "in-person", "worker", "missed", "Missed. Texted as agreed; no reply."),
                (38, "phone", "worker", "no-answer", "Rang. No answer."),
                (
                    28,
                    "visit",
                    "worker",
                    "no-answer",
                    "Home visit. No answer; post piling up behind the door.",
                ),
                (
                    17,
                    "phone",
                    "other-agency",
                    "no-answer",
                    "Probation has tried her phone too. Agreed to coordinate rather than both chase.",
                ),
                (
                    6,
                    "visit",
                    "worker",
                    "no-answer",
                    "Visited with her probation officer. No answer; left a note about the "
                    "possession hearing.",
                ),
            ],
            "triggers": [
                ("feelings", "Shame about the arrears, which grows with every unopened letter."),
                (
                    "thoughts",
                    "Believes losing the flat would prove she has failed, so there's no point "
                    "trying.",
                ),
                ("behaviour", "Stops opening post and answering the phone when things get worse."),
            ],
            "plan": {
                "made_with_person": True,
                "preferred_times": "Mornings, Monday to Wednesday.",
                "preferred_methods": ["text", "in-person", "visit"],
                "others_may_contact": (
                    "Her sister, and her GP if she hasn't been seen for a fortnight."
                ),
                "during_disengagement": (
                    "We text first, visit with probation after a week, and contact her sister "
                    "after two weeks. Missed housing appointments are never reported to probation "
                    "as non-compliance."
                ),
                "reminders": "A text the day before.",
                "agreed_days_ago": 272,
                "review_in_days": -20,
            },
            "reflection": {
                "author": "outsider",
                "identify": (
                    "She engaged steadily for about eight months, longer than with any service "
                    "before. Contact stopped soon after the landlord served notice, and for seven "
                    "weeks we've had only unanswered texts, calls and visits."
                ),
                "analyse": (
                    "The hardship payment was refused on a technicality nobody explained to her, "
                    "and the notice came soon after; it's hard not to feel indignant at how "
                    "rigidly that rule was applied. Her shame about the arrears means bad news "
                    "pushes her away from help. The plan review is overdue, and the plan says "
                    "nothing about what happens if the flat itself is lost."
                ),
                "plan": (
                    "Review the plan through her sister, the contact she agreed, and add what "
                    "we'll do if she has to leave the flat. Coordinate with probation so she gets "
                    "one consistent message, and keep pushing for the hardship decision to be "
                    "reviewed."
                ),
                "feelings": ["indignation", "anxiety"],
                "other_feeling": "",
                "responses": [
                    (
                        "south.facilitator",
                        "Agree the decision is worth challenging. The challenge could be a reason "
                        "to get in touch that isn't about missed appointments.",
                    ),
                    (
                        "dan",
                        "The possession hearing is a fixed point. Can we make sure someone is at "
                        "court with her whatever happens before then?",
                    ),
                ],
            },
        },
        {
            "gender": "male",
            "age_band": "35-44",
            "context": (
                "On a community order, working cash-in-hand on building sites and staying on "
                "friends' sofas. Probation and housing support are working on his unpaid work, a "
                "stable room and a bank account; what matters to him is steady work and not "
                "letting his mates down."
            ),
            "pattern": "sporadic",
            "opened_days_ago": 180,
            "closed": False,
            "timeline": [
                (
                    176,
                    "in-person",
                    "other-agency",
                    "attended",
                    "Induction at probation. He asked for early appointments, before site work.",
                ),
                (
                    169,
                    "in-person",
                    "worker",
                    "missed",
                    "Missed. Texted; he replied that he'd been offered a day's work.",
                ),
                (
                    162,
                    "in-person",
                    "worker",
                    "attended",
                    "Came to the early slot. Agreed his engagement plan together.",
                ),
                (
                    148,
                    "in-person",
                    "worker",
                    "attended",
                    "Talked through what a bank account needs; he's short of proof of identity.",
                ),
                (
                    134,
                    "text",
                    "person",
                    "cancelled",
                    "He texted to cancel the night before; a week's work out of town came up.",
                ),
                (127, "phone", "worker", "no-answer", "Rang as agreed in his plan. No answer."),
                (118, "text", "worker", "no-answer", "Texted. Delivered, but no reply."),
                (110, "in-person", "worker", "missed", "Missed the rebooked slot."),
                (
                    104,
                    "phone",
                    "person",
                    "reached",
                    "He rang: back in town, apologetic, worried about breach. Explained honestly "
                    "where things stand.",
                ),
                (101, "in-person", "worker", "attended", "Opened a basic bank account together."),
                (
                    87,
                    "in-person",
                    "worker",
                    "attended",
                    "Looked at rooms he could afford on his current earnings.",
                ),
                (
                    73,
                    "in-person",
                    "worker",
                    "missed",
                    "Missed. Texted the same morning; no reply until the evening.",
                ),
                (
                    66,
                    "phone",
                    "worker",
                    "reached",
                    "Phone catch-up. Site work running late every day this week.",
                ),
                (
                    52,
                    "in-person",
                    "worker",
                    "attended",
                    "A room in a shared house has been offered; viewing next week.",
                ),
                (31, "text", "person", "cancelled", "Cancelled the same morning for site work."),
                (
                    24,
                    "in-person",
                    "worker",
                    "attended",
                    "Moved into the room and brought his tenancy paperwork to go through.",
                ),
            ],
            "triggers": [
                (
                    "behaviour",
                    "Takes any work offered at short notice, even when it clashes with appointments.",
                ),
                ("thoughts", "Sees appointments as time that costs him money."),
                (
                    "relationships",
                    "Loyal to the friends he stays with, who sometimes need him at the same times.",
                ),
            ],
            "plan": {
                "made_with_person": True,
                "preferred_times": "Early mornings before site work, or after five on weekdays.",
                "preferred_methods": ["text", "phone", "in-person"],
                "others_may_contact": "No one; he wants to keep his friends out of it.",
                "during_disengagement": (
                    "If he misses, we text and ring the same day. After a week without contact we "
                    "write to the address he gives probation and explain honestly what happens "
                    "next with his order."
                ),
                "reminders": "A text the evening before.",
                "agreed_days_ago": 162,
                "review_in_days": 12,
            },
            "reflection": None,
        },
        {
            "gender": "not-recorded",
            "age_band": None,
            "context": (
                "Referred for housing support after leaving a relationship, and staying in "
                "emergency accommodation with no criminal justice involvement. What matters most "
                "to them so far is a quiet, safe place to stay."
            ),
            "pattern": None,
            "opened_days_ago": 60,
            "closed": False,
            "timeline": [
                (
                    58,
                    "phone",
                    "other-agency",
                    "other",
                    "Referral from the council's housing options team, with their agreement.",
                ),
                (
                    55,
                    "phone",
                    "worker",
                    "reached",
                    "Spoke by phone. They prefer texts and asked for a quiet place to meet.",
                ),
                (
                    51,
                    "in-person",
                    "worker",
                    "attended",
                    "Met in a library study room. They chose not to share some details yet, which "
                    "we respect.",
                ),
                (
                    44,
                    "text",
                    "worker",
                    "no-answer",
                    "Texted to confirm the next meeting. No reply.",
                ),
                (37, "in-person", "worker", "missed", "Missed the meeting."),
                (
                    29,
                    "text",
                    "worker",
                    "no-answer",
                    "Texted a short, no-pressure message. No reply.",
                ),
                (
                    22,
                    "visit",
                    "worker",
                    "no-answer",
                    "Called at the emergency accommodation. Staff said they'd moved rooms and were "
                    "out.",
                ),
                (
                    16,
                    "text",
                    "person",
                    "reached",
                    "They texted back: a difficult few weeks with the phone off, now ready to talk.",
                ),
                (
                    10,
                    "in-person",
                    "worker",
                    "attended",
                    "Met at the library again. Agreed that texts and short meetings work best.",
                ),
                (
                    3,
                    "text",
                    "worker",
                    "reached",
                    "Confirmed the next meeting by text; they replied straight away.",
                ),
            ],
            "triggers": [
                (
                    "feelings",
                    "Fear of being found by an ex-partner makes them cautious about sharing details.",
                ),
                ("behaviour", "Turns the phone off for days at a time when feeling unsafe."),
            ],
            "plan": None,
            "reflection": None,
        },
        {
            "gender": "male",
            "age_band": "55-64",
            "context": (
                "Was on licence after a long sentence, moving from approved premises into his "
                "first tenancy in many years. Probation and housing support worked on his licence, "
                "the tenancy and getting online; what mattered to him was his allotment and a "
                "quiet life."
            ),
            "pattern": "steady",
            "opened_days_ago": 400,
            "closed": True,
            "timeline": [
                (
                    396,
                    "in-person",
                    "other-agency",
                    "attended",
                    "First appointment at the approved premises, with his probation officer.",
                ),
                (
                    382,
                    "in-person",
                    "worker",
                    "attended",
                    "Agreed his engagement plan: letters rather than texts, as mobile phones are "
                    "new to him.",
                ),
                (
                    354,
                    "in-person",
                    "worker",
                    "attended",
                    "Talked through the bidding system for housing, slowly and on paper.",
                ),
                (
                    326,
                    "visit",
                    "worker",
                    "attended",
                    "Viewed the flat he's been offered. He measured up for curtains on the spot.",
                ),
                (
                    298,
                    "visit",
                    "worker",
                    "attended",
                    "Home visit after the move. Set up gas, electricity and council tax together.",
                ),
                (
                    270,
                    "in-person",
                    "worker",
                    "attended",
                    "He's been given an allotment plot and talked about nothing else.",
                ),
                (
                    242,
                    "letter",
                    "person",
                    "cancelled",
                    "He wrote to cancel because of a hospital appointment. Rebooked by letter.",
                ),
                (
                    235,
                    "in-person",
                    "worker",
                    "attended",
                    "Came to the rebooked appointment with a bag of runner beans for the office.",
                ),
                (
                    200,
                    "video",
                    "worker",
                    "attended",
                    "First video call, set up at the library. He was pleased with himself.",
                ),
                (
                    165,
                    "in-person",
                    "worker",
                    "attended",
                    "Talked about the licence ending and what he'd like in place after.",
                ),
                (
                    130,
                    "in-person",
                    "worker",
                    "attended",
                    "Licence ends soon; agreed who he'll turn to afterwards.",
                ),
                (
                    102,
                    "in-person",
                    "worker",
                    "attended",
                    "Final session. Licence complete and ending agreed together.",
                ),
            ],
            "triggers": [
                (
                    "thoughts",
                    "Finds modern systems baffling and would rather not ask for help with them.",
                ),
                ("feelings", "Anxiety in busy offices after many years inside."),
            ],
            "plan": {
                "made_with_person": True,
                "preferred_times": "Weekday mornings; afternoons are for the allotment.",
                "preferred_methods": ["letter", "in-person", "video"],
                "others_may_contact": (
                    "His keyworker at the approved premises, while he lived there."
                ),
                "during_disengagement": (
                    "If he misses an appointment we write that day and ring his landline the next. "
                    "He asked to be told plainly what happens next."
                ),
                "reminders": "A letter a week ahead and a phone call the day before.",
                "agreed_days_ago": 382,
                "review_in_days": 30,
            },
            "reflection": None,
        },
        {
            "gender": "female",
            "age_band": "25-34",
            "context": (
                "Referred for housing support by the council's housing options team after an "
                "eviction, and staying on a friend's sofa; an earlier probation order ended badly "
                "for her. The support is meant to help her find a tenancy and manage money, and "
                "the referrer says she wants a place near her sister."
            ),
            "pattern": "non-starter",
            "opened_days_ago": 120,
            "closed": False,
            "timeline": [
                (
                    117,
                    "phone",
                    "other-agency",
                    "other",
                    "Referral from housing options. They mention she's wary of anyone linked to "
                    "probation.",
                ),
                (
                    114,
                    "text",
                    "worker",
                    "no-answer",
                    "Introductory text explaining that we're housing support. No reply.",
                ),
                (
                    110,
                    "letter",
                    "worker",
                    "other",
                    "Letter to her friend's address offering a meeting at the women's centre.",
                ),
                (
                    103,
                    "in-person",
                    "worker",
                    "missed",
                    "Didn't come to the meeting at the women's centre.",
                ),
                (96, "phone", "worker", "no-answer", "Rang. No answer and no voicemail set up."),
                (
                    88,
                    "visit",
                    "worker",
                    "no-answer",
                    "Called at her friend's address. The friend said she was out and would pass on "
                    "a message.",
                ),
                (
                    80,
                    "in-person",
                    "other-agency",
                    "other",
                    "Case discussion with housing options and the women's centre. Drafted a plan "
                    "for her from what we know.",
                ),
                (
                    67,
                    "letter",
                    "worker",
                    "other",
                    "Sent her the plan in plain words, inviting her to change any of it.",
                ),
                (
                    53,
                    "in-person",
                    "worker",
                    "missed",
                    "Didn't come to a drop-in slot at the women's centre.",
                ),
                (
                    38,
                    "phone",
                    "other-agency",
                    "other",
                    "The women's centre says she dropped in once and asked whether we were 'the "
                    "probation lot'.",
                ),
                (
                    24,
                    "text",
                    "worker",
                    "no-answer",
                    "Texted that we're not probation and nothing goes to them without her say. No "
                    "reply.",
                ),
                (
                    11,
                    "visit",
                    "worker",
                    "no-answer",
                    "Called at her friend's with the women's centre worker. She's moved on; no "
                    "forwarding address.",
                ),
            ],
            "triggers": [
                (
                    "thoughts",
                    "Assumes the housing team is part of probation, after an order that ended in "
                    "breach.",
                ),
                (
                    "relationships",
                    "Relies on a friend's goodwill for a bed and doesn't want workers turning up "
                    "there.",
                ),
            ],
            "plan": {
                "made_with_person": False,
                "preferred_times": (
                    "Not known; the women's centre says she drops in on weekday afternoons."
                ),
                "preferred_methods": ["text", "in-person"],
                "others_may_contact": (
                    "The women's centre and housing options, who both have contact with her."
                ),
                "during_disengagement": (
                    "Until we meet her, we text once a fortnight, pass messages through the "
                    "women's centre and only visit her friend's address with the women's centre "
                    "worker. The plan is rewritten with her at the first meeting."
                ),
                "reminders": "None agreed yet.",
                "agreed_days_ago": 80,
                "review_in_days": 5,
            },
            "reflection": {
                "author": "south.facilitator",
                "identify": (
                    "She has never come to an appointment with us, and her last contact with "
                    "probation ended in breach. Every attempt so far has been a letter, a text or "
                    "a doorstep call she didn't ask for."
                ),
                "analyse": (
                    "If she thinks we're part of probation, our persistence may look like the same "
                    "surveillance that ended badly before. On heavy weeks there was relief when "
                    "nobody answered, and that made it easier to let the gaps grow. Writing her "
                    "plan without her felt wrong, because it decided things about her life in a "
                    "room she wasn't in."
                ),
                "plan": (
                    "Let the women's centre lead, with us ready when she is, and make it plain "
                    "that housing support is separate from probation. Rewrite the plan with her "
                    "the first time we meet."
                ),
                "feelings": ["relief", "other"],
                "other_feeling": "Discomfort at writing a plan about someone we have never met.",
                "responses": [
                    (
                        "outsider",
                        "The 'probation lot' comment says a lot about how our letters land. Maybe "
                        "leave our logo off anything we send her.",
                    ),
                ],
            },
        },
        {
            "gender": "another",
            "age_band": "18-24",
            "context": (
                "A young person recently moved from youth justice to adult probation, living in a "
                "supported housing project and studying part-time. Probation and housing support "
                "work on their order and move-on housing; what matters most to them is finishing "
                "their course and being called by their chosen name."
            ),
            "pattern": "sporadic",
            "opened_days_ago": 150,
            "closed": False,
            "timeline": [
                (
                    147,
                    "in-person",
                    "other-agency",
                    "attended",
                    "Handover meeting with their youth justice worker. They asked staff to use "
                    "their chosen name.",
                ),
                (
                    140,
                    "in-person",
                    "worker",
                    "attended",
                    "Agreed an engagement plan together, timed around their college days.",
                ),
                (
                    126,
                    "in-person",
                    "worker",
                    "missed",
                    "Missed. Reception had used their old name at the last visit.",
                ),
                (
                    124,
                    "text",
                    "worker",
                    "reached",
                    "Texted an apology about reception. They replied and agreed to come next week.",
                ),
                (
                    119,
                    "in-person",
                    "worker",
                    "attended",
                    "Talked about college and the rent at the housing project.",
                ),
                (105, "text", "person", "cancelled", "Cancelled by text; exam week at college."),
                (
                    98,
                    "text",
                    "worker",
                    "no-answer",
                    "Texted good luck with exams and offered a new slot. No reply.",
                ),
                (91, "in-person", "worker", "missed", "Missed the new slot."),
                (
                    82,
                    "phone",
                    "worker",
                    "no-answer",
                    "Rang. Left a voicemail about the project's rent review.",
                ),
                (
                    77,
                    "phone",
                    "other-agency",
                    "reached",
                    "Their college tutor passed on that they want to come back but feel they've "
                    "left it too long.",
                ),
                (
                    73,
                    "in-person",
                    "person",
                    "attended",
                    "Came in. Talked about shame at coming back; agreed a missed week never means "
                    "starting over.",
                ),
                (
                    59,
                    "in-person",
                    "worker",
                    "attended",
                    "Looked at move-on housing options near college.",
                ),
                (
                    45,
                    "in-person",
                    "worker",
                    "missed",
                    "Missed during coursework deadlines. Texted; they replied the next day.",
                ),
                (
                    38,
                    "video",
                    "worker",
                    "attended",
                    "Video session instead, at their suggestion. Much more relaxed from their own "
                    "room.",
                ),
                (
                    24,
                    "video",
                    "worker",
                    "attended",
                    "Video session. Coursework handed in, and they're proud of the result.",
                ),
                (
                    10,
                    "text",
                    "person",
                    "cancelled",
                    "Cancelled by text and asked to switch to video next week.",
                ),
            ],
            "triggers": [
                (
                    "feelings",
                    "Feel they've left it too long to come back after a gap, and stay away longer.",
                ),
                ("relationships", "Being called by their old name, or misgendered, by staff."),
                ("behaviour", "College deadlines crowd out appointments."),
            ],
            "plan": {
                "made_with_person": True,
                "preferred_times": "Tuesday or Wednesday afternoons, after college.",
                "preferred_methods": ["text", "video", "in-person"],
                "others_may_contact": "Their college tutor, if two texts go unanswered.",
                "during_disengagement": (
                    "We text weekly with no pressure, ask their tutor to pass on a message after a "
                    "fortnight, and offer video as a way back in. A gap never means starting again "
                    "from the beginning."
                ),
                "reminders": "A text on the morning of the appointment.",
                "agreed_days_ago": 140,
                "review_in_days": 18,
            },
            "reflection": {
                "author": "outsider",
                "identify": (
                    "Since moving to adult probation they've come to roughly every other "
                    "appointment, with one spell of nearly a month without contact. Their youth "
                    "justice worker says the same wave pattern happened there."
                ),
                "analyse": (
                    "The first miss followed reception using their old name, which told them this "
                    "place wasn't safe. Once a gap starts, embarrassment about coming back keeps "
                    "it going. Rebooking again and again has been frustrating, and on some busy "
                    "afternoons a cancellation was honestly a relief."
                ),
                "plan": (
                    "Make sure everyone at reception uses their chosen name, and offer video by "
                    "default when college is busy. Keep saying that a missed week doesn't reset "
                    "anything."
                ),
                "feelings": ["frustration", "relief"],
                "other_feeling": "",
                "responses": [
                    (
                        "hana",
                        "Reception has been briefed. Good spot on the name; that one's on us, not "
                        "them.",
                    ),
                ],
            },
        },
        {
            "gender": "male",
            "age_band": "45-54",
            "context": (
                "On licence, engaged well while in approved premises, then moved to a shared house "
                "across town with a long bus ride to the office. Probation and housing support "
                "cover his licence, the new tenancy and his back pain; what matters most to him is "
                "being near his grown-up daughter."
            ),
            "pattern": "dropped-out",
            "opened_days_ago": 230,
            "closed": False,
            "timeline": [
                (
                    226,
                    "in-person",
                    "other-agency",
                    "attended",
                    "First appointment at the approved premises with probation.",
                ),
                (
                    212,
                    "in-person",
                    "worker",
                    "attended",
                    "Agreed an engagement plan together; he's happy to be rung at any time.",
                ),
                (
                    198,
                    "in-person",
                    "worker",
                    "attended",
                    "Talked through what he'd want from a tenancy.",
                ),
                (
                    184,
                    "in-person",
                    "worker",
                    "attended",
                    "Put in for rooms near his daughter, though they're further from the office.",
                ),
                (
                    163,
                    "in-person",
                    "worker",
                    "attended",
                    "Offered a room in a shared house across town. Pleased, but worried about fares.",
                ),
                (
                    142,
                    "visit",
                    "worker",
                    "attended",
                    "Home visit after the move. Likes the room; bus fares are a real strain.",
                ),
                (
                    121,
                    "in-person",
                    "worker",
                    "attended",
                    "Arrived late after two buses, with his back bad.",
                ),
                (
                    100,
                    "in-person",
                    "worker",
                    "attended",
                    "Asked about help with travel costs; we said we'd find out what's possible.",
                ),
                (
                    79,
                    "phone",
                    "person",
                    "cancelled",
                    "He rang to cancel; couldn't afford the fare until payday.",
                ),
                (
                    72,
                    "phone",
                    "worker",
                    "reached",
                    "Phone session instead. Still waiting to hear about travel help.",
                ),
                (
                    51,
                    "in-person",
                    "worker",
                    "attended",
                    "Travel help refused under the office's rules. He was angry and left early.",
                ),
                (44, "in-person", "worker", "missed", "Missed. Rang the same day; no answer."),
                (37, "phone", "worker", "no-answer", "Rang again. No answer."),
                (
                    26,
                    "visit",
                    "worker",
                    "no-answer",
                    "Home visit. Not in; a housemate said he's at his daughter's a lot.",
                ),
                (
                    15,
                    "letter",
                    "worker",
                    "no-answer",
                    "Wrote offering appointments at a venue near his home. No reply.",
                ),
                (
                    4,
                    "phone",
                    "worker",
                    "no-answer",
                    "Rang. No answer; left a message about the nearer venue.",
                ),
            ],
            "triggers": [
                (
                    "behaviour",
                    "Long bus journeys with back pain make every appointment exhausting.",
                ),
                (
                    "thoughts",
                    "Took the refusal of travel help as proof that nobody is really on his side.",
                ),
                (
                    "relationships",
                    "Time with his daughter matters more to him than appointments do.",
                ),
            ],
            "plan": {
                "made_with_person": True,
                "preferred_times": "Late mornings, when his back has eased.",
                "preferred_methods": ["phone", "in-person", "visit"],
                "others_may_contact": "His daughter, if he hasn't been in touch for two weeks.",
                "during_disengagement": (
                    "We ring first, then visit his home. If there's no contact for a week, we "
                    "offer appointments somewhere nearer where he lives."
                ),
                "reminders": "A phone call the day before.",
                "agreed_days_ago": 212,
                "review_in_days": 3,
            },
            "reflection": None,
        },
        {
            "gender": "male",
            "age_band": "35-44",
            "context": (
                "On a community order, living in a hostel and at risk of losing his bed after "
                "arguments with staff. He was referred for housing support to find somewhere more "
                "settled; probation say he wants his own front door and nothing to do with more "
                "workers."
            ),
            "pattern": "non-starter",
            "opened_days_ago": 90,
            "closed": False,
            "timeline": [
                (
                    88,
                    "phone",
                    "other-agency",
                    "other",
                    "Referral from probation, made with his reluctant agreement.",
                ),
                (
                    85,
                    "letter",
                    "worker",
                    "other",
                    "First appointment letter given to hostel staff to pass on.",
                ),
                (
                    80,
                    "in-person",
                    "worker",
                    "missed",
                    "Didn't come. Hostel staff say he read the letter and said he's had enough of "
                    "appointments.",
                ),
                (
                    78,
                    "text",
                    "worker",
                    "no-answer",
                    "Texted to say we're about flats, not rules. No reply.",
                ),
                (69, "visit", "worker", "no-answer", "Called at the hostel; he was out."),
                (
                    57,
                    "in-person",
                    "other-agency",
                    "other",
                    "His probation officer raised our offer in supervision. He said he'd think "
                    "about it.",
                ),
                (
                    49,
                    "in-person",
                    "worker",
                    "missed",
                    "Didn't come to the slot his probation officer passed on.",
                ),
                (
                    35,
                    "phone",
                    "other-agency",
                    "other",
                    "Hostel staff say he's on a final warning and may lose his bed.",
                ),
                (
                    28,
                    "visit",
                    "worker",
                    "no-answer",
                    "Called with a list of private rooms he could look at. He was out; left it with "
                    "staff.",
                ),
                (
                    13,
                    "text",
                    "worker",
                    "no-answer",
                    "Texted that two of the rooms on the list are still free. No reply.",
                ),
            ],
            "triggers": [
                (
                    "thoughts",
                    "Wants his own front door but sees support workers as more people telling him "
                    "what to do.",
                ),
                (
                    "relationships",
                    "Clashes with hostel staff colour his view of anyone from a service.",
                ),
            ],
            "plan": None,
            "reflection": None,
        },
        {
            "gender": "female",
            "age_band": "55-64",
            "context": (
                "On licence after her first prison sentence, living in a housing association flat "
                "and caring for her elderly mother. Probation and housing support focus on her "
                "licence, her tenancy and her isolation; what matters most to her is being seen as "
                "more than her offence."
            ),
            "pattern": "steady",
            "opened_days_ago": 140,
            "closed": False,
            "timeline": [
                (
                    137,
                    "in-person",
                    "other-agency",
                    "attended",
                    "First appointment with probation and housing support together. Polite, "
                    "prepared and a little stiff.",
                ),
                (
                    123,
                    "in-person",
                    "worker",
                    "attended",
                    "Went through the tenancy paperwork. She had already read all of it.",
                ),
                (109, "in-person", "worker", "attended", "Said everything is fine at home."),
                (
                    95,
                    "in-person",
                    "worker",
                    "attended",
                    "Said everything is fine, as she does every week.",
                ),
                (
                    81,
                    "phone",
                    "person",
                    "reached",
                    "She rang ahead to check the time. Always early.",
                ),
                (
                    80,
                    "in-person",
                    "worker",
                    "attended",
                    "Talked about her mum's care; she does all of it herself.",
                ),
                (
                    66,
                    "in-person",
                    "worker",
                    "attended",
                    "Mentioned she hasn't left the flat except for appointments in weeks.",
                ),
                (
                    52,
                    "in-person",
                    "worker",
                    "attended",
                    "Talked about what she used to enjoy before her sentence.",
                ),
                (
                    38,
                    "in-person",
                    "worker",
                    "attended",
                    "Spoke for the first time about shame and the neighbours knowing.",
                ),
                (
                    24,
                    "in-person",
                    "worker",
                    "attended",
                    "Looked at a carers' support group and a respite option for her mum.",
                ),
                (
                    10,
                    "in-person",
                    "worker",
                    "attended",
                    "Agreed to try the women's centre coffee morning with the worker.",
                ),
            ],
            "triggers": [
                (
                    "feelings",
                    "Shame about her offence, which keeps her indoors apart from appointments.",
                ),
                ("thoughts", "Believes a good client says everything is fine."),
            ],
            "plan": None,
            "reflection": {
                "author": "south.facilitator",
                "identify": (
                    "She has come to every appointment since release and usually arrives early. "
                    "For the first two months, every session ended with her saying everything was "
                    "fine."
                ),
                "analyse": (
                    "Her attendance made it easy to see her as a success story while she was "
                    "becoming more isolated at home. She seems to treat appointments as something "
                    "to get right rather than a place to get help. Attendance on its own told us "
                    "very little about how she was doing."
                ),
                "plan": (
                    "Spend less time checking and more on what she wants, starting with getting "
                    "out of the flat. Go with her to the coffee morning and ask her directly what "
                    "would make the sessions useful."
                ),
                "feelings": ["other"],
                "other_feeling": "Unease that perfect attendance was hiding how stuck things were.",
                "responses": [
                    (
                        "dan",
                        "A good reminder that a full attendance record isn't the same as things "
                        "going well.",
                    ),
                    (
                        "hana",
                        "Could she meet one of the peer mentors? It might ease the shame about the "
                        "neighbours.",
                    ),
                ],
            },
        },
    ],
}
