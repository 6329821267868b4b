package org.lakecdp.core.sample;

import java.util.Map;

/** Word lists behind the sample persons: UK-ish names, places, streets and shop categories. */
final class Vocabulary {
  private Vocabulary() {}

  /** Male first names, most common first. */
  static final String[] MALE_NAMES = {
    "David", "John", "Michael", "James", "Paul", "Robert", "Mark", "Andrew", "Richard", "Peter",
    "Stephen", "Christopher", "Thomas", "Daniel", "William", "Matthew", "Anthony", "Simon", "Ian",
    "Steven", "Gary", "Martin", "Jonathan", "Alan", "Kevin", "Jason", "Lee", "Neil", "Adam",
    "Benjamin", "Samuel", "Joseph", "Oliver", "Jack", "Harry", "George", "Charlie", "Alexander",
    "Nicholas", "Edward", "Timothy", "Gregory", "Frederick", "Luke", "Ryan", "Liam", "Connor",
    "Callum", "Kieran", "Nathan", "Scott", "Craig", "Graham", "Keith", "Brian", "Colin", "Derek",
    "Trevor", "Barry", "Philip", "Roger", "Malcolm", "Gordon", "Stuart", "Dean", "Wayne", "Shaun",
    "Aaron", "Jamie", "Ethan", "Noah", "Arthur", "Leo", "Oscar", "Mohammed"
  };

  /** Female first names, most common first. */
  static final String[] FEMALE_NAMES = {
    "Sarah", "Emma", "Claire", "Elizabeth", "Helen", "Susan", "Margaret", "Karen", "Julie",
    "Nicola", "Rachel", "Louise", "Lisa", "Jennifer", "Katherine", "Rebecca", "Victoria",
    "Samantha", "Jessica", "Laura", "Amy", "Hannah", "Charlotte", "Sophie", "Emily", "Lucy",
    "Olivia", "Amelia", "Isla", "Ava", "Grace", "Chloe", "Ella", "Mia", "Ruby", "Lily", "Alice",
    "Deborah", "Patricia", "Christine", "Catherine", "Alexandra", "Abigail", "Joanne", "Angela",
    "Tracey", "Michelle", "Kelly", "Donna", "Dawn", "Gemma", "Kirsty", "Natalie", "Zoe", "Megan",
    "Jade", "Lauren", "Anna", "Ellie", "Freya", "Poppy", "Evie", "Jane", "Mary", "Ann", "Linda",
    "Barbara", "Janet", "Carol", "Wendy", "Pauline", "Fiona", "Heather", "Aisha", "Priya"
  };

  /** Surnames, most common first (Smith and Jones dominate, as in the UK). */
  static final String[] SURNAMES = {
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes",
    "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin",
    "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison",
    "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price",
    "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey",
    "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards", "Khan", "Marshall",
    "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson", "Foster", "Chapman",
    "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt", "Hussain", "Campbell", "Matthews",
    "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd", "Butler", "Russell",
    "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey", "Graham", "Pearson",
    "Ahmed", "Fletcher", "Walsh", "Kaur", "Gibson", "Howard", "Andrews", "Stewart", "Elliott",
    "Reynolds", "Saunders", "Payne", "Fox", "Ford", "Pearce", "Day", "Brooks", "West", "Lawrence",
    "Cole", "Atkinson", "Bradley", "Spencer", "Gill", "Dawson", "Ball", "Burton", "O'Brien",
    "Watts", "Rose", "Booth", "Perry", "Ryan", "Grant", "Wells", "Armstrong", "Francis", "Rees",
    "Hayes", "Hart", "Hudson", "Newman", "Barrett", "Webster", "Hunter", "Gregory", "Carr",
    "Lowe", "Page", "Marsh", "Riley", "Dunn", "Woods", "Parsons", "Berry", "Stone", "Reid",
    "Holland", "Hawkins", "Harding", "Porter", "Robertson", "Newton", "Oliver", "Reed",
    "Kennedy", "Williamson", "Bird", "Gardner", "Shah", "Dean", "Lane", "Cooke", "Bates",
    "Henderson", "Parry", "Burgess", "Bishop", "Walton", "Burns", "Nicholson", "Shepherd",
    "Ross", "Cross", "Long", "Freeman", "Warren", "Nicholls", "Hamilton", "Byrne", "Sutton",
    "McDonald", "Yates", "Hodgson", "Robson", "Curtis", "Hopkins", "O'Connor", "Harper",
    "Coleman", "Watkins", "Moss", "McCarthy", "Chambers", "Griffin", "Sharp", "Hardy"
  };

  /** Formal first name to the nickname people give instead. */
  static final Map<String, String> NICKNAMES = Map.ofEntries(
      Map.entry("Robert", "Bob"), Map.entry("William", "Bill"), Map.entry("Elizabeth", "Liz"),
      Map.entry("Katherine", "Kate"), Map.entry("Michael", "Mike"), Map.entry("James", "Jim"),
      Map.entry("Richard", "Rich"), Map.entry("Thomas", "Tom"), Map.entry("Christopher", "Chris"),
      Map.entry("Jonathan", "Jon"), Map.entry("Daniel", "Dan"), Map.entry("Matthew", "Matt"),
      Map.entry("Andrew", "Andy"), Map.entry("Anthony", "Tony"), Map.entry("Joseph", "Joe"),
      Map.entry("Benjamin", "Ben"), Map.entry("Samuel", "Sam"), Map.entry("Alexander", "Alex"),
      Map.entry("Nicholas", "Nick"), Map.entry("Edward", "Ed"), Map.entry("Jennifer", "Jen"),
      Map.entry("Margaret", "Maggie"), Map.entry("Rebecca", "Becky"),
      Map.entry("Victoria", "Vicky"), Map.entry("Samantha", "Sam"), Map.entry("Jessica", "Jess"),
      Map.entry("Susan", "Sue"), Map.entry("Deborah", "Debbie"), Map.entry("Patricia", "Pat"),
      Map.entry("Christine", "Chris"), Map.entry("Catherine", "Cathy"),
      Map.entry("Alexandra", "Alex"), Map.entry("Charlotte", "Lottie"),
      Map.entry("Abigail", "Abby"), Map.entry("Timothy", "Tim"), Map.entry("Stephen", "Steve"),
      Map.entry("Peter", "Pete"), Map.entry("David", "Dave"), Map.entry("Gregory", "Greg"),
      Map.entry("Frederick", "Fred"), Map.entry("Philip", "Phil"));

  /** A UK city and the postcode areas of its addresses. */
  record City(String name, String[] areas, double weight) {}

  static final City[] CITIES = {
    new City("London", new String[] {"E", "N", "SE", "SW", "W", "NW", "EC", "WC"}, 18),
    new City("Birmingham", new String[] {"B"}, 5), new City("Manchester", new String[] {"M"}, 5),
    new City("Leeds", new String[] {"LS"}, 4), new City("Glasgow", new String[] {"G"}, 4),
    new City("Liverpool", new String[] {"L"}, 3), new City("Bristol", new String[] {"BS"}, 3),
    new City("Sheffield", new String[] {"S"}, 3), new City("Edinburgh", new String[] {"EH"}, 3),
    new City("Cardiff", new String[] {"CF"}, 2), new City("Newcastle", new String[] {"NE"}, 2),
    new City("Nottingham", new String[] {"NG"}, 2), new City("Leicester", new String[] {"LE"}, 2),
    new City("Brighton", new String[] {"BN"}, 2), new City("Southampton", new String[] {"SO"}, 2),
    new City("Reading", new String[] {"RG"}, 1.5), new City("Coventry", new String[] {"CV"}, 1.5),
    new City("Oxford", new String[] {"OX"}, 1), new City("Cambridge", new String[] {"CB"}, 1),
    new City("York", new String[] {"YO"}, 1), new City("Norwich", new String[] {"NR"}, 1),
    new City("Exeter", new String[] {"EX"}, 1), new City("Belfast", new String[] {"BT"}, 1.5),
    new City("Aberdeen", new String[] {"AB"}, 1), new City("Plymouth", new String[] {"PL"}, 1)
  };

  static final String[] STREET_NAMES = {
    "Main", "High", "Church", "Station", "Park", "Victoria", "Green", "Manor", "Mill", "Queens",
    "Kings", "New", "Grange", "Springfield", "Windsor", "Highfield", "Albert", "Chester", "Oak",
    "Elm", "Beech", "Maple", "Willow", "Cedar", "Meadow", "Orchard", "York", "London", "North",
    "South", "West", "Alexandra", "Richmond", "George", "Mount", "Stanley", "Cromwell", "Nelson",
    "Princes", "Brook"
  };

  /** Street types in full and their usual abbreviation, same order. */
  static final String[] STREET_TYPES = {
    "Street", "Road", "Avenue", "Lane", "Close", "Drive", "Gardens", "Crescent", "Place", "Way"
  };
  static final String[] STREET_TYPE_ABBREVIATIONS = {
    "St.", "Rd", "Ave", "Ln", "Cl.", "Dr.", "Gdns", "Cres.", "Pl.", "Way"
  };

  static final String[] PERSONAL_DOMAINS = {
    "gmail.com", "yahoo.co.uk", "hotmail.com", "outlook.com", "btinternet.com", "hotmail.co.uk",
    "icloud.com", "live.co.uk", "sky.com", "aol.com"
  };
  static final double[] PERSONAL_DOMAIN_WEIGHTS = {30, 12, 14, 10, 6, 6, 8, 4, 3, 2};
  static final String[] COMPANY_DOMAINS = {
    "acme-logistics.co.uk", "northwind.co.uk", "brightsparks.com", "kestrel-consulting.co.uk",
    "nhs.net", "oakfield-school.org.uk", "harbourbank.co.uk", "citycouncil.gov.uk"
  };

  /** Generic values that several unrelated persons type in place of their own. */
  static final String[] JUNK_EMAILS = {"test@test.com", "noemail@none.com", "none@none.com"};
  static final String JUNK_PHONE = "0000000000";

  static final String[] CATEGORIES = {
    "shoes", "apparel", "accessories", "beauty", "home", "kitchen", "electronics", "toys",
    "sports", "books", "garden", "grocery"
  };
  /** Typical item price per category, in pence, same order. */
  static final int[] CATEGORY_PRICE_PENCE = {
    5500, 3500, 2500, 1800, 3000, 2800, 12000, 2200, 4000, 1200, 2500, 800
  };

  static final String[] APP_SCREENS = {
    "home", "search", "category", "product", "basket", "checkout", "account", "offers", "wishlist"
  };

  static final String[] SUPPORT_CHANNELS = {"email", "phone", "chat", "web_form"};
}
