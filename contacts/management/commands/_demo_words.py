"""Word lists for seed_demo: our own, so demo data needs nothing at run time."""

FIRST_NAMES = (  # noqa: SIM905 (a word list reads better as text)
    "Ada Alan Alice Amara Amelia Ana Andrea Anja Arjun Astrid Ayla Beatriz Ben Bianca Carlos "
    "Chen Chloe Clara Daniel Dara David Diego Elena Elif Emil Emma Erik Esther Farah Felix "
    "Fatima Finn Freya Gabriel Grace Hana Hannah Hugo Ines Ingrid Isaac Jamal Jana Javier Jonas "
    "Julia Kai Kamala Karim Katarina Kenji Lara Leila Leo Lina Lucas Luisa Maya Mateo Mei Mila "
    "Nadia Naomi Nils Noah Nora Olga Omar Oscar Paula Pedro Priya Rafael Rania Ravi Rosa Ruth "
    "Sam Sara Selin Simon Sofia Tariq Teresa Theo Tomas Uma Valeria Victor Wei Yara Yusuf Zoe"
).split()

LAST_NAMES = (  # noqa: SIM905
    "Abbott Adeyemi Almeida Andersen Bauer Becker Bergstrom Brennan Castillo Chakraborty Chen "
    "Costa Dubois Duarte Eriksen Fernandes Fischer Fontaine Garcia Grant Gupta Hansen Hartmann "
    "Hayes Horvath Ibrahim Ivanova Jansen Kaur Keller Kim Kowalski Kruger Larsen Laurent Lee "
    "Lindqvist Lopez Moreau Morgan Muller Murphy Nakamura Navarro Nguyen Novak Okafor Olsen "
    "Ortiz Park Patel Pereira Petrov Quinn Ramos Reyes Rossi Sato Schmidt Schneider Silva "
    "Singh Sorensen Tanaka Torres Urban Vargas Varga Vogel Wagner Walsh Weber Yilmaz Zhang"
).split()

COMPANIES = [
    "Acme Robotics",
    "Brightline Health",
    "Northwind Traders",
    "Blue Fjord Energy",
    "Cobalt Labs",
    "Delta Analytics",
    "Evergreen Bank",
    "Fable Studios",
    "Granite Systems",
    "Harbor Logistics",
    "Ionic Software",
    "Juniper Foods",
    "Kestrel Aerospace",
    "Lumen Media",
    "Meridian Consulting",
    "Nimbus Cloud",
    "Orchard Education",
    "Pioneer Biotech",
    "Quartz Security",
    "Riverstone Capital",
    "Solstice Design",
    "Tidewater Shipping",
    "Umbra Games",
    "Vantage Retail",
    "Willow Architecture",
    "Xenith Pharma",
    "Yellowtail Travel",
    "Zephyr Mobility",
    "Atlas Insurance",
    "Beacon Legal",
    "Cinder Hardware",
    "Driftwood Press",
    "Ember Ventures",
    "Foxglove Clinics",
    "Golden Mile Hotels",
    "Helix Genomics",
    "Indigo Fashion",
    "Jetstream Airlines",
    "Keystone Foundation",
    "Lattice Data",
]

TITLES = [
    "Software Engineer",
    "Senior Software Engineer",
    "Staff Engineer",
    "Engineering Manager",
    "Product Manager",
    "Senior Product Manager",
    "Head of Product",
    "Designer",
    "Lead Designer",
    "Data Scientist",
    "Data Engineer",
    "Marketing Manager",
    "Head of Marketing",
    "Sales Director",
    "Account Executive",
    "Customer Success Lead",
    "Operations Manager",
    "Chief Operating Officer",
    "Chief Technology Officer",
    "Founder",
    "Co-founder & CEO",
    "Recruiter",
    "Talent Partner",
    "Financial Analyst",
    "Controller",
    "Research Scientist",
    "Policy Advisor",
    "Editor",
    "Journalist",
    "Consultant",
    "Partner",
    "Associate",
    "Architect",
    "Nurse Practitioner",
    "Physician",
    "Teacher",
    "Professor",
    "Community Manager",
    "Developer Advocate",
    "Legal Counsel",
]

PLACES = [
    "PyCon Berlin",
    "DjangoCon Europe",
    "a friend's wedding",
    "the climbing gym",
    "university",
    "the Lisbon offsite",
    "a dinner party",
    "Web Summit",
    "the coworking space",
    "my first job",
    "a hackathon",
    "the book club",
    "the neighbourhood café",
    "a product meetup",
    "an airport lounge",
    "the running club",
    "a conference in Porto",
    "a volunteering day",
    "the kids' school",
    "a workshop in Copenhagen",
]

STORIES = [
    "We sat next to each other at {place} and talked for an hour about {topic}.",
    "Introduced over email; we met for coffee after {place}.",
    "Shared a table at {place}; they were working on {topic}.",
    "Paired on a project about {topic} after meeting at {place}.",
    "Ran into each other at {place} and kept in touch since.",
    "They gave a talk on {topic} at {place}; I asked a question afterwards.",
    "We were on the same team for a while; bonded over {topic}.",
]

TOPICS = [
    "open source",
    "remote work",
    "hiring",
    "sailing",
    "urban gardening",
    "jazz",
    "distributed systems",
    "climate tech",
    "sourdough",
    "trail running",
    "product strategy",
    "fundraising",
    "design systems",
    "chess",
    "photography",
    "public transport",
]

TAGS = [
    "investor",
    "mentor",
    "python",
    "design",
    "family",
    "neighbour",
    "climbing",
    "founder",
    "recruiter",
    "university",
    "conference",
    "book club",
    "former colleague",
    "advisor",
    "journalist",
    "friend of a friend",
    "running",
    "board",
]

NOTES = [
    "Prefers messages over calls.",
    "Has two kids; loves hiking in the Alps.",
    "Vegetarian. Suggest the Thai place next time.",
    "Interested in angel investing.",
    "Moving to Amsterdam next year.",
    "Ask about their marathon training.",
    "Writes a newsletter on {topic}.",
    "Happy to review CVs for junior engineers.",
]

EMAIL_DOMAINS = ["example.com", "example.org", "example.net", "mail.example"]

SUMMARIES = {
    "call": ["Catch-up call", "Quick call about {topic}", "Called to say hello"],
    "video_call": ["Video call about {topic}", "Zoom catch-up"],
    "meeting": ["Met at the office", "Project meeting about {topic}", "Walk and talk"],
    "meal": ["Coffee", "Lunch downtown", "Dinner with friends", "Breakfast before work"],
    "message": ["Messaged about {topic}", "Sent a link about {topic}", "Quick check-in"],
    "email": ["Emailed about {topic}", "Sent an update", "Replied to their newsletter"],
    "letter": ["Sent a postcard", "Sent a holiday card"],
    "note_sent": ["Congratulated them on the new role", "Sent birthday wishes"],
    "introduction": ["Introduced them to a friend working on {topic}"],
    "event": ["Saw them at {place}", "Both at {place}"],
    "other": ["Helped with a reference", "Recommended a book about {topic}"],
}
