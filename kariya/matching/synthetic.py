"""Synthetic Niger-style people with known truth, for the matching tests and benchmark.

``generate_people(100_000, seed=1)`` yields exactly 100 000 records (dicts of strings) with the
columns ``kariya match`` reads by default plus ``cluster``, the id of the person the record
describes. Same size and seed, same records, byte for byte, on every machine. Records stream out
of a bounded shuffle buffer, so memory stays flat at a million records.

What it models (issue 5):

- **Names.** Per ethnic group (Hausa, Zarma, Fulfulde, Tamasheq, Kanuri, Arabic-speaking,
  francophone and anglophone West African), ranked lists of given names per sex and of family
  names, each entry a family of spellings (its first spelling the group's usual one). Names
  are drawn from a Zipf law over the list followed by a long tail of rare made-up names built
  from syllables, so a few names are very common and many are rare. In patronymic groups the
  family name is often the father's given name; Tamasheq and Arabic family names are the
  father's name behind a particle (ag/welet, ould/mint, ben/bent).
- **People.** Households (1-6 people: a head, perhaps a spouse, children or siblings) share a
  family or father's name, an origin, an address and often a phone: hard negatives. Twins
  share a birth date too. Nationalities are weighted (mostly NER, then NGA, MLI, BFA...).
- **Records.** About a third of people have 2-4 records (as if registered by several
  organisations along the route), the rest one. Each record is written with the noise met in
  the field: another spelling of the same name, spellings no dictionary would hold (ou/u, ch/sh,
  dj/j, dropped final vowel, Mauritanian V for F...), typos, accents dropped, upper case,
  given and family names swapped, particle present or not (or glued), a second given name
  dropped, a birth year only, a 1 January placeholder, an age-derived year off by one or two,
  day and month swapped, missing fields, a different phone, the phone written in many ways
  (+227…, 00227…, spaces, local digits), a document number with spaces or a typo, and, for a
  few percent, the names in Arabic script.

The generator never reads the matching engine's variant dictionary: its spelling families and
noise are written independently so that a benchmark on this data is not circular.
"""

from __future__ import annotations

import bisect
import contextlib
import csv
import datetime
import gzip
import hashlib
import io
import itertools
import os
import random
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO

#: The columns ``kariya match`` reads by default, in order.
COLUMNS: tuple[str, ...] = (
    "id",
    "given_name",
    "family_name",
    "father_name",
    "sex",
    "birth_date",
    "birth_year",
    "nationality",
    "origin",
    "address",
    "phone",
    "document_number",
)
#: The truth: records with the same ``cluster`` describe the same person.
TRUTH_COLUMN = "cluster"
ALL_COLUMNS: tuple[str, ...] = (*COLUMNS, TRUTH_COLUMN)
#: The benchmark's data set sizes.
SIZES: dict[str, int] = {"20k": 20_000, "100k": 100_000, "1m": 1_000_000}

REFERENCE_YEAR = 2026
SHUFFLE_BUFFER = 20_000

# ----------------------------------------------------------------------------------------------
# Names. One string per list: entries separated by spaces, spellings of one entry by "/",
# "_" stands for a space inside a name. Ranked roughly from most to least frequent.

_GROUP_NAMES: dict[str, dict[str, str]] = {
    "hausa": {
        "M": """
            Mahamadou/Mohamed/Muhammad/Mamadou/Mohammed/Mouhamed/Mahamane/Mamane Moussa/Musa/Mousa
            Ibrahim/Ibrahima/Brahim/Ibro Abdou/Abdu/Abdou_Salam Issa/Isa/Isah Sani/Sanni
            Abdoulaye/Abdullahi/Abdallah/Abdoulahi/Abdullah Oumarou/Umar/Oumar/Umaru/Omar
            Boubacar/Abubakar/Aboubacar/Boubakar/Abubakar_Sadiq
            Souleymane/Sulaiman/Suleiman/Souleimane Garba Issoufou/Yusuf/Youssouf/Yousouf/Isyaku
            Lawali/Lawal/Laouali Ousmane/Usman/Usmanu/Othman Idrissa/Idris/Idriss Adamou/Adamu/Adam
            Hassane/Hassan/Assane Yacouba/Yakubu/Yacoub/Yaqub Amadou/Ahmed/Ahmad/Ahmadou
            Mahmoud/Mahamoud/Mahmud Chaibou/Shuaibu/Chouaibou/Shuaib Rabiou/Rabiu/Rabi'u
            Nouhou/Nuhu/Nouh Zakari/Zakariya/Zakaria Yahaya/Yahya/Yahia
            Inoussa/Younoussa/Yunusa/Yunus Tanko Danladi/Dan_Ladi Bachir/Bashir/Béchir
            Nassirou/Nasiru/Nasser/Nasir Kabirou/Kabiru/Kabir Mansour/Mansur/Mansourou
            Hamissou/Hamisu Mounkaila/Munkaila Sahabi Habibou/Habib/Habibu Salissou/Salisu Magagi
            Tchiroma Baraou Elhadji/Alhaji/El_Hadj/Alhadji Harouna/Haruna/Haroun
            Alassane/Alhassan/Lassane Awal/Awalou Saidou/Said/Saïdou/Saeed
            Soumaila/Ismaila/Ismaël/Smaila Audou/Audu Maman/Mamman
        """,
        "F": """
            Aïssa/Aisha/Aïchatou/Aicha/Aishatu/Ayesha Fatouma/Fatima/Fatimata/Fati/Fatoumata
            Hadiza/Khadija/Hadijatou/Adiza/Khadidja Mariama/Maryam/Mariam/Mairama
            Zeinabou/Zainab/Zeinab Rahamatou/Ramatou/Rahmatou/Rahma Hawa/Haoua/Hauwa/Hawaou
            Salamatou/Salamatu/Salamata Amina/Aminatou/Aminah Safiya/Safiatou/Safia
            Balkissa/Bilkisu/Balkisu/Bilkis Habsatou/Hafsa/Habsa/Hafsatu Zara/Zahra/Zahara
            Rakia/Rakiatou/Ruqayya/Rukayya Nana Halima/Halimatou/Alima Hamsatou/Hamsa/Amsatou
            Djamila/Jamila Sakina/Sakinatou/Sekina Housseina/Husseina/Hussaina Saratou/Sarah/Sara
            Kaltouma/Kaltoum/Kulthum/Kalsoum Maimouna/Maymuna/Maïmouna Nafissa/Nafisa/Nafissatou
            Larai/Laraba Talatou/Talatu Delou Indo Mariamou/Mariama Lami/Lamido Jamila/Djamilatou
            Binta/Bintou Hajara/Hadjara
        """,
        "family": """
            Dan_Baba/Danbaba Magagi Maman/Mamane Garba Baraou Dan_Inna Tanko Mai_Gari/Maigari
            Saley/Saleh/Salé Kané Gado Dan_Koulou Attahirou/Attahiru/Tahirou Bawa Koura Dan_Malam
        """,
    },
    "zarma": {
        "M": """
            Hama/Hamma/Ahmad Boubacar/Boubakar/Abubakar Moussa/Mousa/Musa Issa/Isa
            Amadou/Hamadou/Ahmadou Hamani/Amani Djibo/Jibo/Djibrilla Seyni/Seini/Seïni
            Soumana/Sumana Hamidou/Amidou/Hamid Halidou/Khalid/Halid Moumouni/Mumuni/Moumini
            Oumarou/Oumar/Umaru Abdoulaye/Abdoulahi Yayé/Yaye Hima Boubé/Bube Siddo/Sido
            Beidari/Beydari Karimou/Karim Gado Tahirou/Tahir Alfari/Alfary Alzouma/Alzuma Kimba
            Idrissa/Idris Mahamadou/Mamadou/Mohamed Salou/Salifou Harouna/Haroun Ali/Aliou/Alou
            Soumaila/Smaila Adamou/Adama Sambo Zakari/Zakaria Ousmane/Usman
            Abdourahamane/Abdourahmane/Abdulrahman/Dramane Garba Daouda/Dauda/Dawud
            Younoussa/Younous Noma Hassane/Hassan Kadri/Kader/Abdoulkader Yacouba/Yacoub Tondi
        """,
        "F": """
            Mariama/Maryam/Mariam Fatouma/Fatima/Fati Aïssa/Aïchatou/Aisha Zeinabou/Zeinab/Zénabou
            Hadiza/Khadija/Adiza Ramatou/Rahamatou/Rahma Hassana/Hasana/Assana Salamatou/Salamata
            Hawa/Haoua/Awa Amina/Aminatou Ramatoulaye/Rahmatoulaye Kadidiatou/Kadidia/Khadija
            Halimatou/Halima Safi/Safiatou Nafissa/Nafissatou Mounira/Munira Fadji/Fadjimata
            Balkissa/Balkis Haoua/Hawaou Tahirou/Tahira Dijé/Dije Housseyna/Husseina
            Maïmouna/Maymuna
        """,
        "family": """
            Maïga/Maiga/Maïgua Touré/Toure Cissé/Cisse/Sissé Hamani Kountché/Kountche Djermakoye
            Niandou/Nyandou Alzouma Hima Garba Siddo Yacouba Boubé Issaka/Isaka Seyni Oumarou
            Harouna Moumouni Zakari Djibo Halidou Soumana Tondi Alfari Kimba Hamidou Abdou Issoufou
        """,
    },
    "fulfulde": {
        "M": """
            Amadou/Hamadou/Ahmadou/Ahmed Boubacar/Aboubakar/Abubakar/Bakary Oumarou/Oumar/Umaru/Umar
            Mamadou/Mahamadou/Mohamed/Muhammad Ibrahima/Ibrahim/Brahima
            Abdoulaye/Abdullahi/Abdoulahi Demba Samba Yero/Yéro/Yerro
            Djibrilla/Jibril/Djibril/Jibrin Sadou/Saadou/Sa'adu Bello/Belo Ardo Hamma/Hama
            Abdou/Abdu Bouba/Buba Alhousseini/Housseini/Hussein/Houssein Moussa/Musa
            Ousmane/Usman/Othman Idrissa/Idrissa/Idris Souleymane/Sulaiman Hassane/Hassan
            Adama/Adamou Sidiki/Siddiq Moctar/Mokhtar/Mukhtar Tidiane/Tijani/Tidjani Alpha/Alfa
            Thierno/Cherno Saliou/Salihou/Salihu Mody/Modi Pathé/Pate Dicko/Diko Hamidou/Amidou
            Djidda/Jidda
        """,
        "F": """
            Aïssata/Aissata/Assétou/Aïcha/Aisha Fatoumata/Fatimata/Fatouma/Fatima/Fanta
            Mariama/Mairama/Mariam Kadidiatou/Kadiatou/Khadija/Hadiza Ramatoulaye/Ramata/Rahmatou
            Coumba/Kumba/Koumba Djenaba/Jenaba/Zeinab/Dieynaba Penda Binta/Bintou/Bintu
            Hawa/Haoua/Awa Oumou/Umu/Ummu Hadja/Hadjia Dado Diko Salamata/Salamatou Kadija/Khadidja
            Aminata/Amina Houley/Houleye Djeinabou/Zeinabou Habiba/Abiba Sadio/Saadio Adama/Adamou
        """,
        "family": """
            Diallo/Jallo/Djallo Bah/Ba Barry/Bari Sow/Sao Sidibé/Sidibe Bello/Belo Dicko/Diko
            Cissé/Cisse Dia Kane/Kan Ly Baldé/Balde Diao Sy/Sall Tall/Tal Ndiaye/N'Diaye Boubakari
            Hamadou
        """,
    },
    "tamasheq": {
        "M": """
            Mohamed/Mahamadou/Muhammad/Mouhamed Rhissa/Ghissa/Rissa/Issa
            Alhousseini/Al_Housseini/Hussein Ahmed/Ahmad/Akhmed Aghali/Rhali/Ghali/Agali
            Attaher/Ataher/At-Tahir/Ettaher Ibrah/Ibrahim/Brahim Mossa/Moussa/Musa Bilal/Bilale
            Intalla/Intallah Alghabass/Alghabas Ehya/Yahya Sidi/Sidy Mohamed_Ali/Mohamedali
            Elmehdi/El_Mahdi/Mahdi Assaleh/Salah/Saleh Hamad/Hammad Akli/Akly Amoumoune/Amumun Efad
            Agaly Alitinine Mokhtar/Moctar/Mukhtar Abdallah/Abdullahi/Abdoulaye Ilias/Iliasse/Elias
            Ousmane/Othmane/Usman Kader/Abdelkader/Abdoulkader/Abdulkadir Aboubacrine/Boubacar
        """,
        "F": """
            Fadimata/Fatimata/Fatouma/Fatima Aïchatou/Aicha/Aïssa/Achétou/Aishatou Lalla/Lala
            Mina/Aminatou/Amina Tahara/Taharat Mariam/Mariama/Meriem Tina/Tinna
            Zeinabou/Zeinab/Zainab Khadija/Hadiza/Kadidia Takama Tinhinan/Tinhinane Hawa/Haoua
            Safia/Safiatou Takhmart/Tahmart Raïchatou/Rhaichatou Fanta Mariamou Tafa Disa
            Tamoudre/Tamudre
        """,
        "family": """
            Intalla/Intallah Alghabass Boula Akotey Kindo Amma Agali Ghali Attaher Elmehdi Bilal
        """,
    },
    "kanuri": {
        "M": """
            Modu/Modou/Mohammed/Mahamadou/Muhammad Bukar/Boukar/Abubakar/Boubacar Kiari/Kyari/Kiyari
            Kolo/Kollo Ari/Ary Goni/Gony Lawan/Lawane Mustapha/Moustapha/Mustafa/Moustafa
            Bulama/Boulama Mallam/Malam Abba/Aba Zanna/Zannah Ibrahim/Brahim Umar/Oumar Ali/Aliyu
            Kachalla/Katchalla Mamadou/Mamman Adam/Adamou Tijani/Tidjani Baba Abdou/Abdu
            Yerima/Yarima Gaji/Gadji Fannami/Fanami Bunu/Bounou Kellumi/Kelloumi Maina Usman/Ousmane
            Mai/May
        """,
        "F": """
            Fanna/Fana Falmata/Fatimata/Fatima/Fatouma Yakaka/Ya_Kaka Yagana Kellou/Kelou
            Zara/Zahra/Zahara Hadiza/Adiza/Khadija Aisha/Aïssa/Aïchatou Hauwa/Hawa/Haoua
            Amina/Aminatou Mairam/Mariam/Mairama Bintou/Binta Yana Zainab/Zeinabou Hajja/Hadja Kaka
            Ashe/Aché Gumsu/Goumsou
        """,
        "family": """
            Kiari/Kyari Bukar/Boukar Modu/Modou Kolo Goni Lawan Mustapha Mallam/Malam Bulama Zanna
            Abba Kachalla Mai Gaji Yerima Maina Bunu Fannami Kellumi Ari
        """,
    },
    "arab": {
        "M": """
            Mahamat/Mohamed/Muhammad/Mohammed/Mhamed Ahmed/Ahmad/Hmed
            Abdallah/Abdullah/Abdellahi/Abdoulaye Khalil/Halil Hamid/Hamed Brahim/Ibrahim/Ibrahima
            Sidi/Sidy/Sidi_Mohamed Cheikh/Sheikh/Chekh/Shaykh Taleb/Talib/Talebe
            Mokhtar/Mukhtar/Moctar/Mouctar Lemine/Al-Amin/El_Amine/Lamine/Alamine Salem/Salim/Saleem
            Mahmoud/Mahmud/Mahmoud Omar/Oumar/Umar Othman/Osman/Ousmane
            Abdelkader/Abdulkadir/Abdoulkader Youssouf/Yousef/Yusuf/Youssef Hassan/Hassane/Hasan
            Abderrahmane/Abdulrahman/Abdourahamane Moussa/Mousa/Musa Idriss/Idris/Driss Ali/Aly
            Bechir/Bachir/Bashir Haroun/Harun/Harouna Hissein/Hussein/Houssein Adoum/Adam
            Zakaria/Zakariya
        """,
        "F": """
            Fatimetou/Vatimetou/Fatma/Fatima/Vatma Mariem/Meriem/Mariam/Maryam
            Aichetou/Aicha/Aisha/Aïssa Khadijetou/Khadija/Hadiza/Khadidja Zeinebou/Zeinab/Zainab
            Mouna/Mona Halima/Halimé Amina/Aminetou/Amna Toutou Salma/Selma Hawa/Hawaa Achta/Achtta
            Kaltouma/Kaltoum/Kalthoum Hapsita/Hafsa/Habsatou Nafissa/Nefissa Souad/Suad Mouna/Mona
            Oumelkhairy/Oum_El_Khairy
        """,
        "family": """
            Cheikh Sidi Brahim Ahmed Salem Taleb Mokhtar Abdallah Hamid Lemine Khalil Mahmoud
        """,
    },
    "franco": {
        "M": """
            Mamadou/Mahamadou/Mohamed/Mamadu Moussa/Musa Ibrahima/Ibrahim/Brahima Adama/Adam/Adamou
            Souleymane/Souleimane/Sulaiman Ousmane/Usman/Ousman Seydou/Seidou/Saidou
            Amadou/Ahmadou/Ahmed Boukary/Bakary/Boubacar/Aboubacar Abdoulaye/Abdoulay/Abdullahi
            Issiaka/Issiaga/Siaka Drissa/Idrissa/Idriss Lassina/Lassana Sékou/Sekou/Sheku Modibo
            Dramane/Abdourahamane Karim/Abdoul_Karim/Abdoulkarim Lamine/Alamine Yaya/Yahya
            Fousseni/Fousseyni/Housseini Cheick/Cheikh Oumar/Omar/Umar Salif/Salifou/Salifu
            Issouf/Youssouf Harouna/Haruna Jean/Jean-Baptiste Pierre Paul Michel Joseph/Josef
            Emmanuel/Emanuel François/Francois Kouassi/Kouasi Koffi/Kofi Yao Konan
            N'Guessan/Nguessan Aboubakar Sibiri Boureima/Bourema Souleymane/Souleiman Lamine
            Alassane/Alhassane Daouda/Dauda Mady/Madi Tiémoko/Tiemoko
        """,
        "F": """
            Fatoumata/Fatouma/Fatimata/Fatima/Fanta Aminata/Amina/Aminatou Mariam/Mariama/Mariame
            Awa/Hawa/Haoua Kadiatou/Kadidiatou/Khadija/Kadi Salimata/Salamata/Salimatou
            Assétou/Aïssata/Assita Djénéba/Djeneba/Zeinab/Jeneba Rokia/Rakia/Rokiatou Oumou/Umu
            Alimata/Halimata/Halima Mariétou/Marietou Kadidia/Khadidja Marie/Mariya Christelle
            Sandrine Chantal Grâce/Grace Esther Ruth Rachel Bintou/Binta Korotoumou/Korotoum
            Safiatou/Safi Ramata/Ramatou/Rahmatou Aïcha/Aicha/Aisha Maimouna/Mamouna Nafissatou/Nafi
            Adjara/Hadjara Ténin/Tenin
        """,
        "family": """
            Traoré/Traore/Traoré Coulibaly/Kulibali/Koulibaly Koné/Kone/Konee
            Ouédraogo/Ouedraogo/Wedraogo Sawadogo/Savadogo/Sawadougou Kaboré/Kabore
            Diarra/Jara/Dyarra Keïta/Keita/Keyta Konaté/Konate Sangaré/Sangare Camara/Kamara
            Touré/Toure Sylla/Sila Compaoré/Compaore Zongo Ilboudo/Ilboudou Bamba Soro Yao
            Kouassi/Kouasi N'Guessan/Nguessan Koffi Diop/Jop Ndiaye/N'Diaye/Ndiay Fall/Fal
            Gueye/Gaye Faye Sarr/Sar Mbaye/M'Baye Seck/Sek Thiam/Tiam Kouyaté/Kouyate Doumbia/Dumbia
            Dembélé/Dembele Fofana/Fofanah Sissoko/Sisoko/Cissoko Bagayoko/Bagayogo Atangana Essomba
            Ngono Fotso Kamga/Kamgang Tchoumi Nikiéma/Nikiema Ouattara/Watara Dao/Dao Sanou Tapsoba
            Zoungrana Belem Yaméogo/Yameogo Kinda
        """,
    },
    "anglo": {
        "M": """
            Muhammad/Mohammed/Mohamed/Muhammed Ibrahim/Ibrahima Musa/Moussa Abubakar/Boubacar/Abu
            John/Jon Samuel/Sammy/Samuel_Kwame Emmanuel/Emmanuel/Emanuel Daniel/Danny David/Dauda
            Michael/Micheal/Mike Joseph/Joe Peter/Pita Godwin/Godswill Friday Sunday Kwame Kofi
            Kwabena/Kobina Yaw Kwaku/Kweku Chinedu/Chinedum Emeka/Chukwuemeka Tunde/Babatunde
            Segun/Olusegun Femi/Oluwafemi Olumide Usman/Uthman/Ousmane Aliyu/Ali Bello/Belo
            Yusuf/Yusuff/Youssouf Idris/Idrisa Isah/Issa Sani/Sanni Umar/Umaru Ahmed/Ahmad
            Ebuka/Chukwuebuka Ifeanyi/Ifeanyichukwu Obinna Kelechi Uche/Uchenna Gabriel
            Stephen/Steven
        """,
        "F": """
            Blessing Joy Precious Grace Faith Mercy Patience Comfort Gift Esther Ruth Mary/Mariam
            Elizabeth/Elisabeth Abena Akosua Ama Efua/Efia Adwoa/Adjoa Ngozi Chioma Adaeze/Ada
            Funmilayo/Funmi Bukola/Bukky Aisha/Aishat/Aïcha Fatima/Fatimah Amina/Aminat Hauwa/Hawa
            Zainab/Zeinab Hadiza/Khadijat Halima/Halimat Rukayat/Ruqayya Maryam/Mariam
            Deborah/Debora
        """,
        "family": """
            Mensah Owusu Boateng/Boatey Asante/Asanti Osei Agyeman/Agyemang Appiah Adjei/Adjey Darko
            Amoah Okafor Okonkwo Eze Nwosu Chukwu Obi Adeyemi Adebayo Ogunleye Olawale Bello Yusuf
            Abubakar Mohammed Johnson Williams Peters James Daniel Okoro Nwachukwu Ibrahim Mustapha
            Suleiman Danjuma Akinola/Akinlola Oyelaran Ogunbiyi Opoku Acheampong/Achampong
        """,
    },
}

# Groups whose family name is, more often than not, a male given name (the father's or a
# forefather's), and groups that put a particle before it.
_PATRONYMIC_GROUPS = frozenset({"hausa", "zarma", "kanuri", "fulfulde"})
_PARTICLES: dict[str, tuple[tuple[str, str], ...]] = {
    # (male, female) particle pairs, with their usual weights in _PARTICLE_WEIGHTS
    "tamasheq": (("ag", "welet"), ("ag", "walet"), ("ag", "ult")),
    "arab": (("ould", "mint"), ("ben", "bent"), ("wad", "bint")),
}
_PARTICLE_WEIGHTS = (0.7, 0.2, 0.1)

# Syllables for the long tail of rare names.
_TAIL_SYLLABLES: dict[str, tuple[str, str]] = {
    # onsets+nuclei, endings
    "hausa": (
        "ma ni ga ba ri sa da ka la wa ta ya zu ku bu ra na mu tu ko ki di ha ja",
        "u ou a i e ane ma ra wa",
    ),
    "zarma": (
        "ha ma djo bo ye ki se ni zou kou ga bé sou mou ga ti ya da ho",
        "ou a i é ni ma ye ko",
    ),
    "fulfulde": ("ha ma dia yé dou sa mba ba lo pa ti kou dji bo ye", "a ou o i é ri ro"),
    "tamasheq": ("a ta ka gha ma ki ne ra zo lo bi ta ag ekh", "a i ou ane ine en at"),
    "kanuri": ("ka ni mo du ba ko la ya ga ri fa zu", "mi ri a u e ma"),
    "arab": ("sa la ha mi da ra ka ba na ju ze ta ou fa", "ed id ah a i ane oun"),
    "franco": ("ko ba ti sa ou da ke ma la ya zo na bi gou sé", "ré ta go ma ba ou é ra"),
    "anglo": ("o ba ko fi ye mi da chi nu e ku la wu se a", "la de mi ye wa ku ke yi"),
}
_TAIL_SIZE = {"M": 900, "F": 700, "family": 2500}
# The share of people whose name comes from the long tail (each tail name is rare).
_TAIL_MASS = {"M": 0.12, "F": 0.12, "family": 0.25}
_ZIPF_EXPONENT = 1.0

# Arabic-script spellings of frequent names (by folded spelling). Others are transliterated
# letter by letter, as a clerk writing an unfamiliar name would.
_ARABIC_NAMES: dict[str, str] = {
    "mohamed": "محمد",
    "muhammad": "محمد",
    "mahamat": "محمد",
    "moussa": "موسى",
    "ibrahim": "إبراهيم",
    "abdoulaye": "عبد الله",
    "abdallah": "عبد الله",
    "issa": "عيسى",
    "oumar": "عمر",
    "omar": "عمر",
    "boubacar": "أبو بكر",
    "abubakar": "أبو بكر",
    "souleymane": "سليمان",
    "ahmed": "أحمد",
    "amadou": "أحمد",
    "mahmoud": "محمود",
    "ousmane": "عثمان",
    "idrissa": "إدريس",
    "idriss": "إدريس",
    "adamou": "آدم",
    "adam": "آدم",
    "hassane": "حسن",
    "hassan": "حسن",
    "yacouba": "يعقوب",
    "issoufou": "يوسف",
    "youssouf": "يوسف",
    "ali": "علي",
    "harouna": "هارون",
    "haroun": "هارون",
    "yahaya": "يحيى",
    "zakari": "زكريا",
    "khalil": "خليل",
    "cheikh": "شيخ",
    "sidi": "سيدي",
    "mokhtar": "مختار",
    "salem": "سالم",
    "bachir": "بشير",
    "aissa": "عائشة",
    "aicha": "عائشة",
    "aichatou": "عائشة",
    "fatouma": "فاطمة",
    "fatima": "فاطمة",
    "fatimetou": "فاطمة",
    "mariama": "مريم",
    "mariam": "مريم",
    "mariem": "مريم",
    "hadiza": "خديجة",
    "khadija": "خديجة",
    "khadijetou": "خديجة",
    "zeinabou": "زينب",
    "zeinebou": "زينب",
    "amina": "أمينة",
    "halima": "حليمة",
    "hawa": "حواء",
    "safiya": "صفية",
    "kaltouma": "كلثوم",
    "maimouna": "ميمونة",
    "nafissa": "نفيسة",
    "ag": "اغ",
    "welet": "ولت",
    "walet": "ولت",
    "ult": "ولت",
    "ould": "ولد",
    "mint": "منت",
    "ben": "بن",
    "bent": "بنت",
    "wad": "ود",
    "bint": "بنت",
    "dan": "دان",
}
_TO_ARABIC = (
    ("sh", "ش"),
    ("ch", "ش"),
    ("kh", "خ"),
    ("gh", "غ"),
    ("rh", "غ"),
    ("dj", "ج"),
    ("th", "ث"),
    ("ou", "و"),
    ("oo", "و"),
    ("ee", "ي"),
    ("a", "ا"),
    ("b", "ب"),
    ("c", "ك"),
    ("d", "د"),
    ("e", "ي"),
    ("f", "ف"),
    ("g", "ق"),
    ("h", "ه"),
    ("i", "ي"),
    ("j", "ج"),
    ("k", "ك"),
    ("l", "ل"),
    ("m", "م"),
    ("n", "ن"),
    ("o", "و"),
    ("p", "ب"),
    ("q", "ق"),
    ("r", "ر"),
    ("s", "س"),
    ("t", "ت"),
    ("u", "و"),
    ("v", "ف"),
    ("w", "و"),
    ("x", "كس"),
    ("y", "ي"),
    ("z", "ز"),
)

# Spelling changes a clerk makes by ear, that no variant dictionary holds: (from, to).
_EAR_CHANGES = (
    ("ou", "u"),
    ("u", "ou"),
    ("ou", "o"),
    ("i", "y"),
    ("y", "i"),
    ("ch", "sh"),
    ("sh", "ch"),
    ("kh", "h"),
    ("dj", "j"),
    ("j", "dj"),
    ("c", "k"),
    ("k", "c"),
    ("ss", "s"),
    ("s", "ss"),
    ("mm", "m"),
    ("m", "mm"),
    ("ll", "l"),
    ("l", "ll"),
    ("ph", "f"),
    ("f", "v"),
    ("e", "é"),
    ("é", "e"),
    ("ei", "ey"),
    ("ai", "ay"),
    ("aou", "aw"),
    ("h", ""),
    ("a", "aa"),
    ("gh", "rh"),
    ("rh", "gh"),
    ("q", "k"),
    ("z", "s"),
)
_ENDING_CHANGES = (("ou", ""), ("atou", "a"), ("ane", "an"), ("a", "ah"), ("ou", "u"), ("i", "y"))
_KEYBOARD_NEIGHBOURS = {
    "a": "qszw",
    "b": "vn",
    "c": "xv",
    "d": "sf",
    "e": "rz",
    "f": "dg",
    "g": "fh",
    "h": "gj",
    "i": "uo",
    "j": "hk",
    "k": "jl",
    "l": "km",
    "m": "nl",
    "n": "bm",
    "o": "ip",
    "p": "o",
    "q": "aw",
    "r": "et",
    "s": "ad",
    "t": "ry",
    "u": "yi",
    "v": "cb",
    "w": "qx",
    "x": "wc",
    "y": "tu",
    "z": "ae",
}

# ----------------------------------------------------------------------------------------------
# Places, nationalities, phones, documents.

_NATIONALITIES = (
    ("NER", 0.52),
    ("NGA", 0.12),
    ("MLI", 0.07),
    ("BFA", 0.05),
    ("GIN", 0.04),
    ("CIV", 0.03),
    ("SEN", 0.03),
    ("CMR", 0.03),
    ("GHA", 0.03),
    ("TCD", 0.025),
    ("SDN", 0.02),
    ("BEN", 0.012),
    ("TGO", 0.01),
    ("MRT", 0.006),
    ("GMB", 0.006),
    ("SLE", 0.006),
    ("LBR", 0.005),
)
_GROUPS_BY_NATIONALITY: dict[str, tuple[tuple[str, float], ...]] = {
    "NER": (
        ("hausa", 0.5),
        ("zarma", 0.22),
        ("tamasheq", 0.1),
        ("fulfulde", 0.08),
        ("kanuri", 0.05),
        ("arab", 0.05),
    ),
    "NGA": (("hausa", 0.45), ("anglo", 0.35), ("kanuri", 0.1), ("fulfulde", 0.1)),
    "MLI": (("franco", 0.5), ("fulfulde", 0.2), ("tamasheq", 0.15), ("arab", 0.1), ("zarma", 0.05)),
    "BFA": (("franco", 0.8), ("fulfulde", 0.2)),
    "GIN": (("franco", 0.5), ("fulfulde", 0.5)),
    "CIV": (("franco", 0.9), ("fulfulde", 0.1)),
    "SEN": (("franco", 0.7), ("fulfulde", 0.3)),
    "CMR": (("franco", 0.6), ("fulfulde", 0.2), ("anglo", 0.2)),
    "GHA": (("anglo", 0.85), ("hausa", 0.15)),
    "TCD": (("arab", 0.6), ("kanuri", 0.2), ("franco", 0.2)),
    "SDN": (("arab", 1.0),),
    "BEN": (("franco", 0.8), ("fulfulde", 0.2)),
    "TGO": (("franco", 0.8), ("fulfulde", 0.2)),
    "MRT": (("arab", 0.8), ("fulfulde", 0.2)),
    "GMB": (("anglo", 0.6), ("fulfulde", 0.4)),
    "SLE": (("anglo", 0.6), ("fulfulde", 0.4)),
    "LBR": (("anglo", 0.8), ("fulfulde", 0.2)),
}
_ORIGINS: dict[str, str] = {
    "NER": """Zinder Maradi Tahoua Agadez Tillabéri/Tillaberi/Tillabery Dosso Diffa Niamey Arlit
        Tessaoua Madaoua Birni_N'Konni/Birni-Nkonni/Konni Mirriah Magaria Matameye Dakoro Gaya
        Dogondoutchi/Doutchi Filingué/Filingue Ouallam Téra/Tera Say Keita Bouza Illéla/Illela
        Abalak Tchintabaraden Bilma N'Guigmi/Nguigmi Mainé-Soroa/Maine_Soroa Gouré/Goure Tanout
        Ingall Iférouane/Iferouane Tchirozérine/Tchirozerine Guidan_Roumdji Aguié/Aguie Mayahi
        Tibiri Kollo Balleyara""",
    "NGA": """Kano Katsina Sokoto Kaduna Maiduguri Lagos Ibadan Enugu Benin_City Jos Zaria Yola
        Abuja Onitsha Port_Harcourt Birnin_Kebbi Gusau Bauchi Gombe""",
    "MLI": "Gao Kidal Tombouctou/Timbuktu Mopti Ségou/Segou Bamako Kayes Sikasso Ménaka/Menaka",
    "BFA": """Ouagadougou/Ouaga Bobo-Dioulasso/Bobo Dori Ouahigouya Koudougou Fada_N'Gourma Kaya
        Djibo""",
    "GIN": "Conakry Kankan Labé/Labe Kindia Nzérékoré/Nzerekore Mamou Boké/Boke",
    "CIV": "Abidjan Bouaké/Bouake Daloa Korhogo Yamoussoukro San-Pédro/San_Pedro Man",
    "SEN": "Dakar Touba Thiès/Thies Kaolack Saint-Louis Ziguinchor Tambacounda",
    "CMR": "Douala Yaoundé/Yaounde Bamenda Garoua Maroua Bafoussam Ngaoundéré/Ngaoundere",
    "GHA": "Accra Kumasi Tamale Takoradi Bolgatanga Wa Techiman",
    "TCD": "N'Djamena/Ndjamena Abéché/Abeche Moundou Sarh Mao Bol Faya",
    "SDN": "Khartoum Omdurman El_Fasher Nyala Geneina/El_Geneina Kassala Port_Sudan",
    "BEN": "Cotonou Porto-Novo Parakou Djougou Malanville",
    "TGO": "Lomé/Lome Sokodé/Sokode Kara Dapaong",
    "MRT": "Nouakchott Nouadhibou Kiffa Néma/Nema",
    "GMB": "Banjul Serrekunda Brikama",
    "SLE": "Freetown Bo Kenema Makeni",
    "LBR": "Monrovia Gbarnga Buchanan",
}
_VILLAGE_PREFIXES = ("Guidan", "Dan", "Tounga", "Kouara", "In", "Tagui", "Bangou", "Koira")
_ADDRESSES = (
    "Quartier Obitara, Agadez",
    "Dagamanet, Agadez",
    "Pays-Bas, Agadez",
    "Sabon Gari, Agadez",
    "Katanga, Agadez",
    "Aftout, Agadez",
    "Quartier Tagabat, Arlit",
    "Cité Somaïr, Arlit",
    "Assamaka",
    "Séguédine",
    "Dirkou",
    "Talladjé, Niamey",
    "Lazaret, Niamey",
    "Boukoki, Niamey",
    "Koira Kano, Niamey",
    "Gamkallé, Niamey",
    "Birni, Zinder",
    "Zengou, Zinder",
    "Sabon Gari, Maradi",
    "Centre de transit, Agadez",
    "Gare routière, Agadez",
    "Gare routière, Zinder",
    "Gare routière, Tahoua",
    "Camp, Assamaka",
)

# (country code, national significant number length, prefixes, trunk prefix used locally)
_PHONE_PLANS: dict[str, tuple[str, int, tuple[str, ...], str]] = {
    "NER": (
        "227",
        8,
        ("90", "91", "92", "93", "94", "96", "97", "98", "99", "80", "88", "89", "74"),
        "",
    ),
    "NGA": (
        "234",
        10,
        (
            "803",
            "806",
            "813",
            "816",
            "703",
            "706",
            "810",
            "814",
            "903",
            "905",
            "802",
            "808",
            "812",
            "701",
            "902",
            "907",
        ),
        "0",
    ),
    "MLI": ("223", 8, ("76", "66", "77", "65", "79", "90"), ""),
    "BFA": ("226", 8, ("70", "76", "78", "60", "65", "71", "55"), ""),
    "GIN": ("224", 9, ("620", "622", "628", "655", "664"), ""),
    "CIV": ("225", 10, ("07", "05", "01"), ""),
    "SEN": ("221", 9, ("77", "78", "76", "70"), ""),
    "CMR": ("237", 9, ("677", "699", "655", "690", "670"), ""),
    "GHA": ("233", 9, ("24", "54", "55", "20", "50", "27"), "0"),
    "TCD": ("235", 8, ("66", "63", "99", "90"), ""),
    "SDN": ("249", 9, ("91", "92", "12", "99"), "0"),
    "BEN": ("229", 8, ("97", "96", "66", "61"), ""),
    "TGO": ("228", 8, ("90", "91", "99", "70"), ""),
    "MRT": ("222", 8, ("22", "36", "46"), ""),
    "GMB": ("220", 7, ("7", "3", "2"), ""),
    "SLE": ("232", 8, ("76", "77", "88", "30"), "0"),
    "LBR": ("231", 9, ("77", "88"), "0"),
}


# ----------------------------------------------------------------------------------------------
# Vocabulary: ranked lists of spelling families with their Zipf weights.


@dataclass(frozen=True)
class _Name:
    spellings: tuple[str, ...]  # the first is the usual one
    arabic: str


@dataclass
class _Vocabulary:
    names: list[_Name] = field(default_factory=list)
    cumulative: list[float] = field(default_factory=list)

    def draw(self, rng: random.Random) -> _Name:
        point = rng.random() * self.cumulative[-1]
        return self.names[bisect.bisect_right(self.cumulative, point)]


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch) and ch.isalpha())


def _to_arabic(word: str) -> str:
    parts = []
    for piece in word.replace("-", " ").split():
        folded = _fold(piece)
        known = _ARABIC_NAMES.get(folded)
        if known:
            parts.append(known)
            continue
        out: list[str] = []
        i = 0
        while i < len(folded):
            for latin, arabic in _TO_ARABIC:
                if folded.startswith(latin, i):
                    if not out or out[-1] != arabic:  # doubled letters written once
                        out.append(arabic)
                    i += len(latin)
                    break
            else:
                i += 1
        parts.append("".join(out))
    return " ".join(parts)


def _parse(entries: str) -> list[_Name]:
    names = []
    for entry in entries.split():
        spellings = tuple(s.replace("_", " ") for s in entry.split("/"))
        folded = [_fold(s) for s in spellings]
        arabic = next((_ARABIC_NAMES[f] for f in folded if f in _ARABIC_NAMES), "")
        names.append(_Name(spellings, arabic or _to_arabic(spellings[0])))
    return names


def _tail(group: str, kind: str, rng: random.Random, taken: set[str]) -> list[_Name]:
    onsets, endings = (s.split() for s in _TAIL_SYLLABLES[group])
    names: list[_Name] = []
    while len(names) < _TAIL_SIZE[kind]:
        word = "".join(rng.choice(onsets) for _ in range(rng.choice((1, 2, 2, 3))))
        word = (word + rng.choice(endings)).capitalize()
        if len(word) < 4 or word.casefold() in taken:
            continue
        taken.add(word.casefold())
        names.append(_Name((word,), _to_arabic(word)))
    return names


def _zipf(n: int, total: float) -> list[float]:
    weights = [1.0 / (rank**_ZIPF_EXPONENT) for rank in range(1, n + 1)]
    scale = total / sum(weights)
    return [w * scale for w in weights]


def _vocabulary(head: list[_Name], tail: list[_Name], tail_mass: float) -> _Vocabulary:
    weights = _zipf(len(head), 1.0 - tail_mass) + _zipf(len(tail), tail_mass)
    return _Vocabulary(head + tail, list(itertools.accumulate(weights)))


def _build_vocabularies() -> dict[tuple[str, str], _Vocabulary]:
    # The vocabulary is the same for every seed: seeds change the people, not the population
    # of names they are drawn from.
    rng = random.Random("kariya-synthetic-vocabulary")  # noqa: S311 - synthetic data
    vocabularies: dict[tuple[str, str], _Vocabulary] = {}
    for group, lists in _GROUP_NAMES.items():
        taken = {_fold(s) for entries in lists.values() for s in entries.split()}
        male = _parse(lists["M"])
        for kind in ("M", "F", "family"):
            head = _parse(lists[kind])
            if kind == "family" and group in _PATRONYMIC_GROUPS:
                # family names that are forefathers' given names, interleaved with lineages
                head = [n for pair in itertools.zip_longest(male, head) for n in pair if n]
            tail = _tail(group, kind, rng, taken)
            vocabularies[(group, kind)] = _vocabulary(head, tail, _TAIL_MASS[kind])
    return vocabularies


_VOCABULARIES = _build_vocabularies()


def _cumulative(pairs: Sequence[tuple[str, float]]) -> tuple[list[str], list[float]]:
    return [p[0] for p in pairs], list(itertools.accumulate(p[1] for p in pairs))


_NATIONALITY_TABLE = _cumulative(_NATIONALITIES)
_GROUP_TABLES = {nat: _cumulative(groups) for nat, groups in _GROUPS_BY_NATIONALITY.items()}
_ORIGIN_LISTS = {nat: _parse(entries) for nat, entries in _ORIGINS.items()}


def _weighted(rng: random.Random, table: tuple[list[str], list[float]]) -> str:
    values, cumulative = table
    return values[bisect.bisect_right(cumulative, rng.random() * cumulative[-1])]


# ----------------------------------------------------------------------------------------------
# People and households.


@dataclass
class _Person:
    cluster: str
    group: str
    sex: str
    given: _Name
    second_given: _Name | None
    given_spelling: str
    family: str  # as the person usually writes it, particle included
    family_name: _Name
    particle: str
    father: _Name
    father_spelling: str
    birth: datetime.date
    nationality: str
    origin: str
    address: str
    phones: list[str]
    household_phone: str
    document: str


@dataclass
class _Household:
    group: str
    nationality: str
    origin: str
    address: str
    phone: str
    lineage: _Name  # the family name that children keep in lineage mode
    patronymic: bool  # children's family name is their father's given name
    particle_index: int
    # given names already borne in the household: brothers and sisters are not named alike
    given_names: list[_Name] = field(default_factory=list)


def _spelling(rng: random.Random, name: _Name) -> str:
    spellings = name.spellings
    if len(spellings) == 1 or rng.random() < 0.6:
        return spellings[0]
    return rng.choice(spellings[1:])


def _phone_number(rng: random.Random, country: str) -> str:
    code, length, prefixes, _trunk = _PHONE_PLANS[country]
    prefix = rng.choice(prefixes)
    digits = "".join(str(rng.randrange(10)) for _ in range(length - len(prefix)))
    return f"{code}:{prefix}{digits}"  # country code and national number, written later


def _document(rng: random.Random, nationality: str) -> str:
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    kind = rng.random()
    if kind < 0.5:  # passport
        return rng.choice(letters) + rng.choice(("", rng.choice(letters))) + _digits(rng, 7)
    if kind < 0.85:  # national identity card
        return nationality[:2] + _digits(rng, 9 if nationality == "NER" else 10)
    return "ECOWAS" + _digits(rng, 8)


def _digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def _village(rng: random.Random, group: str) -> str:
    name = _VOCABULARIES[(group, "family")].draw(rng).spellings[0]
    return f"{rng.choice(_VILLAGE_PREFIXES)} {name}"


def _household(rng: random.Random) -> _Household:
    nationality = _weighted(rng, _NATIONALITY_TABLE)
    group = _weighted(rng, _GROUP_TABLES[nationality])
    if rng.random() < 0.2:
        origin = _village(rng, group)
    else:
        origin = _spelling(rng, rng.choice(_ORIGIN_LISTS[nationality]))
    phone_country = nationality if rng.random() < 0.4 or nationality == "NER" else "NER"
    return _Household(
        group=group,
        nationality=nationality,
        origin=origin,
        address=rng.choice(_ADDRESSES) if rng.random() < 0.8 else "",
        phone=_phone_number(rng, phone_country) if rng.random() < 0.7 else "",
        lineage=_VOCABULARIES[(group, "family")].draw(rng),
        patronymic=rng.random() < 0.5,
        particle_index=bisect.bisect_right(
            list(itertools.accumulate(_PARTICLE_WEIGHTS)), rng.random()
        ),
    )


def _family_for(
    rng: random.Random,
    household: _Household,
    sex: str,
    father: _Name,
    father_spelling: str,
    lineage: bool,
) -> tuple[str, _Name, str]:
    """The family name of a child of ``father`` (particle, name, and the usual spelling).

    ``lineage``: a member of the household's lineage (head, sibling, child), not a spouse.
    """
    group = household.group
    particles = _PARTICLES.get(group)
    if particles:
        male, female = particles[min(household.particle_index, len(particles) - 1)]
        particle = male if sex == "M" else female
        return particle, father, f"{particle} {father_spelling}"
    if group in _PATRONYMIC_GROUPS:
        if lineage and not household.patronymic:
            return "", household.lineage, household.lineage.spellings[0]
        return "", father, father_spelling
    own = household.lineage if lineage else _VOCABULARIES[(group, "family")].draw(rng)
    return "", own, own.spellings[0]


def _birth(rng: random.Random, age: int) -> datetime.date:
    year = REFERENCE_YEAR - age
    return datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))


def _person(
    rng: random.Random,
    cluster: str,
    household: _Household,
    sex: str,
    age: int,
    father: _Name,
    father_spelling: str,
    lineage: bool,
    birth: datetime.date | None = None,
) -> _Person:
    group = household.group
    given = _VOCABULARIES[(group, sex)].draw(rng)
    for _ in range(20):
        if all(given is not other for other in household.given_names):
            break
        given = _VOCABULARIES[(group, sex)].draw(rng)
    household.given_names.append(given)
    second = _VOCABULARIES[(group, sex)].draw(rng) if rng.random() < 0.1 else None
    particle, family_name, family = _family_for(
        rng, household, sex, father, father_spelling, lineage
    )
    phones = [_phone_number(rng, "NER")] if rng.random() < 0.55 and age >= 14 else []
    nationality = household.nationality
    return _Person(
        cluster=cluster,
        group=group,
        sex=sex,
        given=given,
        second_given=second,
        given_spelling=_spelling(rng, given),
        family=family,
        family_name=family_name,
        particle=particle,
        father=father,
        father_spelling=father_spelling,
        birth=birth or _birth(rng, age),
        nationality=nationality,
        origin=household.origin,
        address=household.address,
        phones=phones,
        household_phone=household.phone,
        document=_document(rng, nationality) if rng.random() < 0.35 and age >= 10 else "",
    )


def _household_people(rng: random.Random, next_cluster: Iterator[str]) -> list[_Person]:
    household = _household(rng)
    group = household.group
    size = rng.choices((1, 2, 3, 4, 5, 6), (0.5, 0.2, 0.12, 0.08, 0.06, 0.04))[0]
    head_sex = "M" if rng.random() < 0.8 else "F"
    head_age = max(14, min(75, round(rng.triangular(14, 60, 24))))
    grandfather = _VOCABULARIES[(group, "M")].draw(rng)
    grandfather_spelling = _spelling(rng, grandfather)
    head = _person(
        rng, next(next_cluster), household, head_sex, head_age, grandfather,
        grandfather_spelling, lineage=True,
    )  # fmt: skip
    people = [head]
    has_spouse = False
    for _ in range(size - 1):
        roll = rng.random()
        if not has_spouse and roll < 0.3:
            has_spouse = True
            spouse_sex = "F" if head_sex == "M" else "M"
            age = max(
                14, head_age + (rng.randint(-10, 2) if spouse_sex == "F" else rng.randint(-2, 10))
            )
            their_father = _VOCABULARIES[(group, "M")].draw(rng)
            people.append(
                _person(rng, next(next_cluster), household, spouse_sex, age, their_father,
                        _spelling(rng, their_father), lineage=False)
            )  # fmt: skip
        elif head_sex == "M" and head_age >= 30 and roll < 0.75:
            child_sex = rng.choice("MF")
            age = max(0, head_age - rng.randint(18, 35))
            twin = people[-1] if people[-1].father is head.given and rng.random() < 0.1 else None
            people.append(
                _person(rng, next(next_cluster), household, child_sex, age, head.given,
                        head.given_spelling, lineage=True, birth=twin.birth if twin else None)
            )  # fmt: skip
        else:  # a brother or sister travelling together
            sibling_sex = "M" if rng.random() < 0.7 else "F"
            age = max(5, head_age + rng.randint(-8, 8))
            people.append(
                _person(rng, next(next_cluster), household, sibling_sex, age, grandfather,
                        grandfather_spelling, lineage=True)
            )  # fmt: skip
    return people


# ----------------------------------------------------------------------------------------------
# Records: one person written down by one organisation.


def _ear(rng: random.Random, word: str) -> str:
    """A spelling by ear: one sound written another way."""
    lower = word.casefold()
    if rng.random() < 0.3:
        for ending, replacement in rng.sample(_ENDING_CHANGES, len(_ENDING_CHANGES)):
            if lower.endswith(ending) and len(lower) - len(ending) >= 3:
                return word[: len(word) - len(ending)] + replacement
    candidates = [(a, b) for a, b in _EAR_CHANGES if a in lower[1:]]
    if not candidates:
        return word
    a, b = rng.choice(candidates)
    positions = [i for i in range(1, len(lower)) if lower.startswith(a, i)]
    i = rng.choice(positions)
    return word[:i] + b + word[i + len(a) :]


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word))
    kind = rng.random()
    if kind < 0.3:
        return word[:i] + word[i + 1 :]
    if kind < 0.5:
        return word[:i] + word[i] + word[i:]
    if kind < 0.75 and i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    neighbours = _KEYBOARD_NEIGHBOURS.get(word[i].casefold())
    return word[:i] + rng.choice(neighbours) + word[i + 1 :] if neighbours else word


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


def _noisy(rng: random.Random, name: _Name, usual: str, p_variant: float = 0.22) -> str:
    """One organisation's spelling of a name the person usually spells ``usual``."""
    roll = rng.random()
    if roll < p_variant and len(name.spellings) > 1:
        text = rng.choice(name.spellings)
    elif roll < p_variant + 0.1:
        text = _ear(rng, usual)
    else:
        text = usual
    if rng.random() < 0.04:
        text = _typo(rng, text)
    return text


def _with_particle(rng: random.Random, particle: str, text: str) -> str:
    if not particle:
        return text
    roll = rng.random()
    if roll < 0.35:
        return text  # particle left out
    if roll < 0.42:
        return particle.capitalize() + text.replace(" ", "").casefold()  # glued: Agboula
    return f"{particle.capitalize() if rng.random() < 0.4 else particle} {text}"


def _phone_text(rng: random.Random, phone: str) -> str:
    code, number = phone.split(":")
    trunk = next(p[3] for p in _PHONE_PLANS.values() if p[0] == code)
    pairs = " ".join(number[i : i + 2] for i in range(0, len(number), 2))
    forms = (
        (f"+{code}{number}", 0.25),
        (f"+{code} {pairs}", 0.15),
        (f"00{code}{number}", 0.12),
        (f"00{code} {pairs}", 0.05),
        (f"{trunk}{number}", 0.2),
        (f"{trunk}{pairs}", 0.12),
        (f"{code}{number}", 0.04),
        (f"(+{code}) {'-'.join(pairs.split())}", 0.04),
        (f"{trunk}{'.'.join(pairs.split())}", 0.03),
    )
    return rng.choices([f for f, _ in forms], [w for _, w in forms])[0]


def _birth_fields(rng: random.Random, birth: datetime.date) -> tuple[str, str]:
    roll = rng.random()
    if roll < 0.52:
        return birth.isoformat(), str(birth.year) if rng.random() < 0.5 else ""
    if roll < 0.72:  # the year only
        return "", str(birth.year)
    if roll < 0.82:  # 1 January placeholder
        return f"{birth.year}-01-01", ""
    if roll < 0.91:  # year from the age the person gave: off by one or two
        year = birth.year + rng.choice((-2, -1, -1, 1, 1, 2))
        return ("", str(year)) if rng.random() < 0.6 else (f"{year}-01-01", "")
    if roll < 0.94 and birth.day <= 12 and birth.day != birth.month:  # day and month swapped
        return f"{birth.year}-{birth.day:02d}-{birth.month:02d}", ""
    return "", ""


def _document_text(rng: random.Random, document: str) -> str:
    roll = rng.random()
    if roll < 0.08:
        return " ".join(document[i : i + 3] for i in range(0, len(document), 3))
    if roll < 0.12:
        return document.casefold()
    if roll < 0.15:
        return document.replace("0", "O", 1) if "0" in document else document
    if roll < 0.18:
        i = rng.randrange(len(document))
        return document[:i] + str(rng.randrange(10)) + document[i + 1 :]
    return document


def _record(rng: random.Random, person: _Person) -> dict[str, str]:
    given = _noisy(rng, person.given, person.given_spelling)
    if person.second_given is not None and rng.random() < 0.6:
        given = f"{given} {_noisy(rng, person.second_given, person.second_given.spellings[0])}"
    if person.particle:
        family_core = _noisy(rng, person.family_name, person.father_spelling)
        family = _with_particle(rng, person.particle, family_core)
    elif person.family_name is person.father:
        family = _noisy(rng, person.family_name, person.father_spelling)
    else:
        family = _noisy(rng, person.family_name, person.family)
    father = _noisy(rng, person.father, person.father_spelling) if rng.random() < 0.55 else ""
    if father and rng.random() < 0.05:
        father = f"{_noisy(rng, person.father, person.father_spelling)} {family}"
    arabic = rng.random() < 0.03
    if arabic:  # written in Arabic script by an Arabic-speaking clerk
        given = person.given.arabic
        family = _to_arabic_name(person.family_name, person.particle)
        father = person.father.arabic if father else ""
    if rng.random() < 0.08:
        given, family = family, given
    if rng.random() < 0.02:
        family = ""
    if not arabic:
        case = rng.random()
        if case < 0.25:
            given, family, father = given.upper(), family.upper(), father.upper()
        elif case < 0.3:
            given, family, father = given.casefold(), family.casefold(), father.casefold()
        if rng.random() < 0.3:
            given, family, father = (_strip_accents(t) for t in (given, family, father))
    birth_date, birth_year = _birth_fields(rng, person.birth)
    sex = (
        person.sex
        if rng.random() < 0.95
        else ("" if rng.random() < 0.9 else "MF"[person.sex == "M"])
    )
    nationality = person.nationality if rng.random() < 0.88 else ""
    if nationality and rng.random() < 0.02:
        nationality = _weighted(rng, _NATIONALITY_TABLE)
    origin = person.origin if rng.random() < 0.7 else ""
    if origin and rng.random() < 0.2:
        origin = _strip_accents(origin).upper() if rng.random() < 0.5 else _ear(rng, origin)
    address = ""
    if rng.random() < 0.5:
        address = (
            person.address if person.address and rng.random() < 0.7 else rng.choice(_ADDRESSES)
        )
    phone = ""
    roll = rng.random()
    if roll < 0.12:
        phone = _phone_text(rng, _phone_number(rng, "NER"))  # a new SIM card
    elif roll < 0.75:
        choices = [p for p in (*person.phones, person.household_phone) if p]
        if choices:
            phone = _phone_text(rng, rng.choice(choices))
    document = (
        _document_text(rng, person.document) if person.document and rng.random() < 0.6 else ""
    )
    return {
        "given_name": given,
        "family_name": family,
        "father_name": father,
        "sex": sex,
        "birth_date": birth_date,
        "birth_year": birth_year,
        "nationality": nationality,
        "origin": origin,
        "address": address,
        "phone": phone,
        "document_number": document,
        "cluster": person.cluster,
    }


def _to_arabic_name(name: _Name, particle: str) -> str:
    return f"{_to_arabic(particle)} {name.arabic}" if particle else name.arabic


def _records_per_person(rng: random.Random) -> int:
    if rng.random() >= 1 / 3:
        return 1
    return rng.choices((2, 3, 4), (0.5, 0.3, 0.2))[0]


def _record_id(seed: int, index: int) -> str:
    digest = hashlib.blake2b(f"{seed}:{index}".encode(), digest_size=8).hexdigest()
    return f"r{digest}"


def generate_people(n_records: int, *, seed: int = 1) -> Iterator[dict[str, str]]:
    """Yield exactly ``n_records`` synthetic records (``ALL_COLUMNS``, all strings).

    Deterministic for a given ``(n_records, seed)``; the records of a person are scattered by a
    bounded shuffle buffer, so memory does not grow with ``n_records``.
    """
    if n_records < 0:
        raise ValueError("n_records must be >= 0")
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    clusters = (f"p{seed}-{i:07d}" for i in itertools.count())
    buffer: list[dict[str, str]] = []
    produced = 0
    emitted = 0

    def emit() -> dict[str, str]:
        nonlocal emitted
        i = rng.randrange(len(buffer))
        buffer[i], buffer[-1] = buffer[-1], buffer[i]
        row = buffer.pop()
        row = {"id": _record_id(seed, emitted), **row}
        emitted += 1
        return row

    while produced < n_records:
        for person in _household_people(rng, clusters):
            for _ in range(_records_per_person(rng)):
                if produced == n_records:
                    break
                buffer.append(_record(rng, person))
                produced += 1
                if len(buffer) >= SHUFFLE_BUFFER:
                    yield emit()
    while buffer:
        yield emit()


def write_csv(
    rows: Iterable[Mapping[str, str]],
    path: str | os.PathLike[str],
    *,
    columns: Sequence[str] = ALL_COLUMNS,
) -> int:
    """Write ``rows`` to ``path`` as UTF-8 CSV (gzip-compressed if it ends in ``.gz``).

    Returns the number of rows written.
    """
    path = os.fspath(path)
    count = 0
    with contextlib.ExitStack() as stack:
        handle: IO[str]
        if path.endswith(".gz"):
            # mtime=0 and no file name in the header: the same rows give the same bytes
            raw = stack.enter_context(open(path, "wb"))
            zipped = stack.enter_context(
                gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=0)
            )
            handle = stack.enter_context(io.TextIOWrapper(zipped, encoding="utf-8", newline=""))
        else:
            handle = stack.enter_context(open(path, "w", encoding="utf-8", newline=""))
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def generate_csv(path: str | os.PathLike[str], n_records: int, *, seed: int = 1) -> int:
    """``write_csv(generate_people(n_records, seed=seed), path)``."""
    return write_csv(generate_people(n_records, seed=seed), path)
