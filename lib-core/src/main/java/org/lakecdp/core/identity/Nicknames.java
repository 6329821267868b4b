package org.lakecdp.core.identity;

import java.util.HashMap;
import java.util.Map;

/**
 * Common English given-name variants (Bob for Robert, Liz for Elizabeth): two names are
 * nickname-alike when they belong to one group. Lower-case, standardised names; a name may
 * belong to several groups (Chris: Christopher, Christine). Immutable and thread-safe.
 */
final class Nicknames {
  private Nicknames() {}

  private static final String[] GROUPS = {
      "robert rob robbie bob bobby bert", "william will willie bill billy liam",
      "richard rich richie rick ricky dick", "james jim jimmy jamie", "john jack johnny",
      "jonathan jon jonny", "michael mike mick mikey mickey", "thomas tom tommy",
      "david dave davey", "christopher chris kit", "christine chris chrissie christina tina",
      "daniel dan danny", "matthew matt", "andrew andy drew", "anthony tony",
      "joseph joe joey", "benjamin ben benny", "samuel sam sammy", "samantha sam sammie",
      "alexander alex alec sandy", "alexandra alex alexa sandra", "edward ed eddie ted ned",
      "charles charlie chas chuck", "charlotte charlie lottie", "henry harry hal hank",
      "harold harry hal", "nicholas nick nicky", "peter pete", "stephen steve stevie",
      "steven steve stevie", "timothy tim timmy", "patrick pat paddy", "patricia pat patty tricia",
      "frederick fred freddie", "george georgie", "gregory greg", "jeffrey jeff",
      "joshua josh", "kenneth ken kenny", "lawrence larry laurie", "leonard len lenny leo",
      "nathan nate", "nathaniel nate nat", "philip phil pip", "raymond ray",
      "ronald ron ronnie", "donald don donnie", "douglas doug", "gerald gerry jerry",
      "jacob jake", "zachary zach zack", "oliver ollie", "elizabeth liz lizzie beth betty eliza bess libby",
      "catherine cathy cath kate katie kat", "katherine kathy kate katie kat",
      "kathleen kathy kath", "margaret maggie meg peggy marge", "jennifer jen jenny",
      "jessica jess jessie", "rebecca becky becca", "susan sue susie", "suzanne sue suzy",
      "deborah debbie deb", "victoria vicky tori", "abigail abby", "amanda mandy",
      "barbara barb babs", "dorothy dot dotty", "eleanor ellie nell nora", "emily em emmy",
      "emma em", "florence flo", "frances fran frankie", "francis frank frankie",
      "gillian gill jill", "helen nell", "isabella bella izzy", "isabel bella izzy",
      "jacqueline jackie", "josephine jo josie", "judith judy jude", "louise lou",
      "lucy lou", "madeleine maddie", "melissa mel", "melanie mel", "nicola nicky",
      "pamela pam", "penelope penny", "rosemary rose rosie", "sarah sally sadie",
      "sophie soph", "theresa terry tess", "valerie val", "veronica ronnie",
      "wendy", "zoe", "megan meg", "alison ally", "alan al", "albert al bert",
      "alfred alf alfie", "arthur art", "bradley brad", "cameron cam", "colin col",
      "gareth gaz", "gary gaz", "ian", "jeremy jez", "kevin kev", "martin marty",
      "maxwell max", "maximilian max", "neil", "nigel", "oscar ozzy", "russell russ",
      "simon si", "terence terry", "vincent vince", "walter walt wally"};

  private static final Map<String, long[]> GROUPS_OF = index();

  private static Map<String, long[]> index() {
    Map<String, long[]> out = new HashMap<>();
    for (int g = 0; g < GROUPS.length; g++) {
      for (String name : GROUPS[g].split(" ")) {
        long[] bits = out.computeIfAbsent(name, k -> new long[(GROUPS.length + 63) / 64]);
        bits[g / 64] |= 1L << (g % 64);
      }
    }
    return Map.copyOf(out);
  }

  /** True when a and b differ and are variants of one given name. */
  static boolean alike(String a, String b) {
    if (a.equals(b)) {
      return false;
    }
    long[] x = GROUPS_OF.get(a);
    long[] y = x == null ? null : GROUPS_OF.get(b);
    if (y == null) {
      return false;
    }
    for (int i = 0; i < x.length; i++) {
      if ((x[i] & y[i]) != 0) {
        return true;
      }
    }
    return false;
  }
}
