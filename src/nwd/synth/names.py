"""Generated names and identifiers: common English first names and surnames, combined at random.

No name here belongs to a record: a person is a random first name put with a random surname.
Identifiers are made so that they can never be real ones: NHS numbers come from the 999 range,
which the NHS reserves for testing and never issues; unique pupil numbers use a local authority
number no council has (000); child ids are plain counters.
"""

from __future__ import annotations

import re

import numpy as np

BOYS = (
    "Oliver", "George", "Harry", "Jack", "Jacob", "Noah", "Charlie", "Thomas", "Oscar", "William",
    "James", "Leo", "Alfie", "Henry", "Joshua", "Freddie", "Archie", "Ethan", "Isaac", "Alexander",
    "Joseph", "Edward", "Samuel", "Max", "Daniel", "Arthur", "Lucas", "Mason", "Logan", "Theo",
    "Harrison", "Benjamin", "Finley", "Dylan", "Sebastian", "Adam", "Riley", "Tyler", "Lewis", "Luke",
    "Ryan", "Jake", "Callum", "Kyle", "Liam", "Connor", "Reece", "Jamie", "Bradley", "Kieran",
    "Ben", "Sam", "Matthew", "Nathan", "Aaron", "Owen", "Toby", "Louis", "Elliot", "Jayden",
    "Harvey", "Ronnie", "Frankie", "Tommy", "Stanley", "Albert", "Reggie", "Hugo", "Ollie", "Zac",
)
GIRLS = (
    "Olivia", "Amelia", "Isla", "Ava", "Emily", "Isabella", "Mia", "Poppy", "Ella", "Lily",
    "Sophie", "Grace", "Evie", "Jessica", "Freya", "Chloe", "Charlotte", "Sophia", "Daisy", "Ruby",
    "Florence", "Millie", "Alice", "Phoebe", "Scarlett", "Matilda", "Holly", "Ellie", "Lucy", "Megan",
    "Hannah", "Lauren", "Amy", "Katie", "Rebecca", "Bethany", "Abigail", "Georgia", "Molly", "Leah",
    "Courtney", "Jade", "Chelsea", "Paige", "Shannon", "Kayleigh", "Danielle", "Zoe", "Rosie", "Maisie",
    "Eliza", "Harriet", "Imogen", "Erin", "Niamh", "Summer", "Tilly", "Layla", "Sienna", "Willow",
    "Hollie", "Kirsty", "Jasmine", "Amber", "Eleanor", "Madison", "Esme", "Lexi", "Darcy", "Annie",
)
# Staff are adults: names more common a generation earlier.
STAFF_MEN = (
    "David", "Mark", "Paul", "Andrew", "Richard", "Stephen", "Michael", "Simon", "Peter", "Gary",
    "Neil", "Ian", "Darren", "Lee", "Matthew", "Christopher", "Robert", "Jonathan", "Martin", "Craig",
    "Stuart", "Tom", "Ben", "Daniel", "Graham", "Adrian", "Nick", "Colin", "Phil", "Rob",
)
STAFF_WOMEN = (
    "Sarah", "Claire", "Emma", "Helen", "Rachel", "Nicola", "Louise", "Joanne", "Lisa", "Karen",
    "Michelle", "Victoria", "Rebecca", "Laura", "Kate", "Gemma", "Hayley", "Natalie", "Donna", "Amanda",
    "Lucy", "Jenny", "Anna", "Zoe", "Kerry", "Samantha", "Fiona", "Alison", "Jo", "Tracey",
)
SURNAMES = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
    "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall",
    "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill",
    "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen",
    "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths",
    "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy",
    "Miller", "Cox", "Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh",
    "Begum", "Wilkinson", "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali",
    "Hunt", "Hussain", "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight",
    "Lloyd", "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey",
    "Graham", "Pearson", "Ahmed", "Fletcher", "Walsh", "Kaur", "Gibson", "Howard", "Andrews", "Stewart",
    "Elliott", "Reynolds", "Saunders", "Payne", "Fox", "Ford", "Pearce", "Day", "Brooks", "West",
    "Lawrence", "Cole", "Atkinson", "Bradley", "Spencer", "Gill", "Dawson", "Ball", "Burton", "O'Brien",
    "Watts", "Rose", "Booth", "Perry", "Ryan", "Grant", "Wells", "Armstrong", "Francis", "Rees",
    "Hayes", "Hart", "Hudson", "Newman", "Barrett", "Webster", "Hunter", "Gregory", "Carr", "Lowe",
    "Page", "Marsh", "Riley", "Dunn", "Woods", "Parsons", "Berry", "Stone", "Reid", "Holland",
)
# Shortened forms young people often go by.
PREFERRED = {
    "Alexander": "Alex", "Benjamin": "Ben", "Samuel": "Sam", "Joshua": "Josh", "Matthew": "Matt",
    "Thomas": "Tom", "William": "Will", "Frederick": "Fred", "Oliver": "Ollie", "Nathan": "Nate",
    "Jessica": "Jess", "Isabella": "Bella", "Charlotte": "Lottie", "Eleanor": "Ellie", "Rebecca": "Becca",
    "Abigail": "Abi", "Bethany": "Beth", "Katie": "Kat", "Matilda": "Tilly", "Jasmine": "Jas",
}


def person_name(rng: np.random.Generator, sex: str) -> tuple[str, str, str]:
    """A young person's (given name, family name, preferred name) for a SEX code."""
    firsts = BOYS if sex in {"1", "M"} else GIRLS if sex in {"2", "F"} else BOYS + GIRLS
    given = firsts[rng.integers(len(firsts))]
    family = SURNAMES[rng.integers(len(SURNAMES))]
    preferred = PREFERRED.get(given, "") if rng.random() < 0.3 else ""
    return given, family, preferred


def staff_name(rng: np.random.Generator) -> tuple[str, str]:
    firsts = STAFF_WOMEN if rng.random() < 0.7 else STAFF_MEN  # children's services staff are mostly women
    return firsts[rng.integers(len(firsts))], SURNAMES[rng.integers(len(SURNAMES))]


class Usernames:
    """firstname.lastname, lower case; a second person with the same name gets a number (jo.smith2)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def make(self, first: str, last: str) -> str:
        base = re.sub(r"[^a-z.]", "", f"{first}.{last}".lower())
        name, n = base, 1
        while name in self.taken:
            n += 1
            name = f"{base}{n}"
        self.taken.add(name)
        return name


def nhs_number(rng: np.random.Generator) -> str:
    """A valid-looking NHS number from the 999 range the NHS never issues (modulus-11 check digit)."""
    while True:
        digits = [9, 9, 9, *(int(d) for d in f"{int(rng.integers(0, 1_000_000)):06d}")]
        check = 11 - sum(d * (10 - i) for i, d in enumerate(digits)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            text = "".join(map(str, digits)) + str(check)
            return f"{text[:3]} {text[3:6]} {text[6:]}"


UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn(rng: np.random.Generator, year_of_entry: int) -> str:
    """A unique pupil number with its check letter: LA 000 (no council has it), school, year, serial."""
    body = f"000{rng.integers(1000, 10000)}{year_of_entry % 100:02d}{rng.integers(0, 1000):03d}"
    check = sum(int(d) * w for d, w in zip(body, range(2, 14))) % 23
    return UPN_LETTERS[check] + body


def unusable_password(rng: np.random.Generator) -> str:
    """Django's mark for an account nobody can log in to ("!" then noise), drawn from the seed so
    runs are identical; ``nwd demo`` sets real passwords on the demo logins."""
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return "!" + "".join(alphabet[int(i)] for i in rng.integers(0, len(alphabet), size=40))
