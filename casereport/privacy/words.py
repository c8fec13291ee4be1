"""The lint's word lists, written for it: given names, cities, the titles and family words
that come before a name, and the nouns that make a capitalised word an eponym.

They are short on purpose. A name is reported only where the text gives a reason to read a
name (a title, "named", a relative, a given name from this list), and a city only after a
word that places something ("lives in", "from"), so a word list never decides alone; what
follows an eponym ("syndrome", "sign", "score") keeps Sjögren, Hashimoto and Bristol out.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Common given names of many origins; none that is also an English word a sentence might
# start with (May, Will, Hope, Rose) or an eponym (Addison, Graves).
GIVEN_NAMES = _words(
    """
    Aaron Abdul Abdullah Abigail Adam Adele Adriana Adrian Ahmed Aisha Alan Albert Alberto
    Alejandro Aleksandra Alex Alexander Alexandra Alfred Ali Alice Alicia Alison Amanda Amara
    Amelia Amina Amir Amy Ana Anders Andrea Andreas Andrew Andrzej Angela Anita Ann Anna Anne
    Annette Anthony Antonio Arjun Arthur Astrid Ayesha Barbara Beatrice Ben Benjamin Bernard
    Beth Bettina Bjorn Brian Bridget Bruno Camille Carl Carla Carlos Carmen Caroline Catherine
    Cecilia Charles Charlotte Chen Chloe Christian Christina Christine Christopher Claire
    Clara Claude Colin Daniel Daniela David Deborah Deepak Denise Dennis Diana Diego Dimitri
    Dmitri Dominic Donald Dorothy Douglas Edward Eileen Elena Eleanor Elif Elisabeth Elizabeth
    Ella Ellen Emily Emma Emmanuel Eric Erik Esther Eva Fatima Felix Fernando Fiona Francesca
    Francesco Francis Frank Franz Frederick Gabriel Gabriela George Georgia Gerald Gerhard
    Giorgio Giovanni Giulia Giuseppe Gloria Gordon Gregory Gunnar Gustav Hamza Hannah Hans
    Harold Harriet Harry Hassan Heather Heidi Helen Helena Henrik Henry Hiroshi Hugo Ibrahim
    Ingrid Irene Isaac Isabel Isabella Ivan Jack Jacob Jakub James Jan Jane Janet Javier Jean
    Jennifer Jens Jessica Joan Joanna Johan Johannes John Jonathan Jorge Jose Josef Joseph
    Joshua Juan Judith Julia Julian Julie Karen Karim Karl Katarzyna Katherine Kathleen
    Kenneth Kevin Khalid Kim Klaus Krishna Kwame Lars Laura Lauren Leila Lena Leon Leonardo
    Liam Lily Linda Lisa Louis Louise Luca Lucas Lucia Lucy Luis Lukas Magdalena Mahmoud
    Malik Manuel Marco Margaret Maria Marie Marina Mario Mark Marta Martha Martin Mary
    Matthew Matthias Maurice Mehmet Melissa Michael Michel Michelle Miguel Mikhail Mohamed
    Mohammed Monica Muhammad Nadia Nancy Naomi Natalia Natasha Nathan Neil Nicholas Nicola
    Nikolai Nina Noah Nora Olga Oliver Olivia Omar Oscar Pablo Patricia Patrick Paul Paula
    Pedro Peter Philip Philippe Pierre Pietro Piotr Priya Rachel Rafael Rahul Rajesh Ramon
    Rebecca Richard Rita Robert Roberto Robin Roger Ronald Rosa Ruth Ryan Sabine Sally Samuel
    Sandra Sara Sarah Sebastian Sergei Sergio Simon Sofia Sophie Stefan Stephanie Stephen
    Steven Susan Suzanne Svetlana Tanya Teresa Thomas Timothy Tomas Tomasz Valentina Vanessa
    Victor Victoria Vikram Vincent Walter Wei William Wolfgang Xavier Yasmin Yusuf Zainab
    Zhang Zoe
    """
)

# Cities and towns a case report might name (places smaller than a region, Safe Harbor B);
# none that is also an English word (Reading, Bath, Nice, Mobile).
CITIES = _words(
    """
    Aberdeen Accra Adelaide Amsterdam Ankara Antwerp Athens Atlanta Auckland Austin
    Baltimore Bangalore Bangkok Barcelona Basel Beijing Beirut Belfast Belgrade Bergen Berlin
    Birmingham Bologna Bombay Bordeaux Boston Bradford Bremen Brighton Brisbane Bristol Brno
    Brussels Bucharest Budapest Cairo Calgary Cambridge Canberra Cardiff Casablanca Chennai
    Chicago Cleveland Cologne Copenhagen Cork Coventry Dallas Delhi Denver Derby Detroit Dhaka
    Dortmund Dresden Dublin Dundee Durban Durham Dusseldorf Düsseldorf Edinburgh Edmonton
    Exeter Florence Frankfurt Galway Geneva Genoa Ghent Glasgow Gothenburg Granada Graz
    Groningen Hamburg Hanover Helsinki Houston Hyderabad Istanbul Izmir Jakarta Jerusalem
    Johannesburg Karachi Kiev Kolkata Krakow Kraków Kyiv Kyoto Lagos Lahore Leeds Leicester
    Leiden Leipzig Lille Lima Limerick Lisbon Liverpool Ljubljana London Lyon Madrid Malaga
    Manchester Manila Marseille Melbourne Miami Milan Minneapolis Montreal Moscow Mumbai
    Munich Nagoya Nairobi Nantes Naples Newcastle Nottingham Nuremberg Osaka Oslo Ottawa
    Oxford Palermo Paris Perth Philadelphia Phoenix Pisa Plymouth Porto Portsmouth Prague
    Pune Quebec Rennes Reykjavik Riga Rome Rotterdam Salzburg Seattle Seoul Seville Shanghai
    Sheffield Singapore Sofia Southampton Stockholm Strasbourg Stuttgart Swansea Sydney
    Taipei Tallinn Tampere Tehran Thessaloniki Tokyo Toronto Toulouse Trieste Turin Utrecht
    Valencia Vancouver Venice Verona Vienna Vilnius Warsaw Wellington Winnipeg Wroclaw York
    Zagreb Zurich Zürich
    """
)

TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Professor", "Sir", "Dame", "Madam")

RELATIVES = (
    "husband|wife|son|daughter|mother|father|brother|sister|partner|neighbour|neighbor|friend"
    "|carer|caregiver|employer|colleague|grandson|granddaughter|grandmother|grandfather|niece"
    "|nephew|uncle|aunt|cousin|boyfriend|girlfriend|fiancé|fiancée|guardian|stepfather"
    "|stepmother|landlord|flatmate|roommate"
)

# Nouns after which a capitalised word names a disease, a sign, a test or a scale.
EPONYM_HEADS = _words(
    """
    syndrome syndromes disease diseases sign signs test tests score scores scale scales
    criteria criterion classification phenomenon phenomena virus viruses lymphoma sarcoma
    thyroiditis encephalopathy encephalitis granulomatosis stain staining chart index
    reaction reactions manoeuvre maneuver procedure operation fracture palsy node nodes cell
    cells body bodies factor ulcer ulcers tumour tumor anaemia anemia disorder arteritis
    lesion lesions method estimate serology questionnaire law rule formula equation type
    class grade stage spots nodules sclerosis dystrophy ataxia triad tetralogy fever
    protocol regimen position positioning solution line lines catheter tube needle forceps
    incision approach flap repair shunt group classification algorithm guidelines guideline
    """
)

# Capitalised words that follow a title or a given name without being a surname.
NOT_SURNAMES = _words(
    """
    The A An And Or Of In On At To For With From By Was Were Is Had Has He She They His Her
    Their Our We It This That These Those Day Week Month Year Hospital Clinic Patient Case
    Table Figure Fig
    """
)

# Dotted abbreviations that are not anyone's initials.
NOT_INITIALS = _words("U.S. U.K. E.U. U.N. A.D. B.C. P.M. A.M. N.B. I.V. I.M. S.C. P.O. Q.D.")
