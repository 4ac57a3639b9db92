"""The demo's rights-information pages (public site), in French, English, Hausa and Arabic,
written through ``kariya.public.services`` by a network coordinator.

General guidance only, written for the demonstration: an organisation deploying Kariya rewrites
these pages with its lawyers and partners. The emergency numbers are **examples**: 17, 18 and 15
are the general police, fire-brigade and medical-emergency numbers commonly used in Niger, and
the network's hotline is in the demo's unattributed phone block (``+227 76``), not a real line.
The pages say so themselves.
"""

from __future__ import annotations

from typing import Any

from kariya.public import services
from kariya.public.services import PageContent

EXPULSION = PageContent(
    slug="expulsion",
    order=1,
    is_published=True,
    title_fr="Que faire si vous êtes expulsé ou refoulé ?",
    title_en="What to do if you are expelled or pushed back",
    title_ha="Me za ku yi idan an kore ku ko an mayar da ku?",
    title_ar="ماذا تفعل إذا طُردت أو أُعدت قسراً؟",
    body_fr=(
        "Vous avez des droits, même sans papiers. Personne ne peut vous prendre vos documents "
        "ou votre argent.\n\n"
        "## À l'arrivée\n"
        "- Demandez de l'eau, des soins et un abri : les organisations du réseau à Assamaka, "
        "Arlit et Agadez peuvent vous aider gratuitement.\n"
        "- Gardez vos papiers sur vous et faites une copie (photo) si possible.\n"
        "- Si vous êtes un enfant seul, dites-le : une protection spéciale existe.\n\n"
        "## Ensuite\n"
        "- Si vous avez été victime de violence ou de vol, vous pouvez le signaler à une "
        "organisation du réseau, en toute confidentialité.\n"
        "- Vous pouvez demander une aide au retour volontaire ou rester au Niger : c'est votre "
        "choix."
    ),
    body_en=(
        "You have rights, even without papers. No one may take your documents or your money.\n\n"
        "## When you arrive\n"
        "- Ask for water, care and shelter: the network's organisations in Assamaka, Arlit and "
        "Agadez can help you for free.\n"
        "- Keep your papers with you and make a copy (photo) if you can.\n"
        "- If you are a child alone, say so: there is special protection for you.\n\n"
        "## Afterwards\n"
        "- If you suffered violence or theft, you can report it to an organisation of the "
        "network, in confidence.\n"
        "- You can ask for help to return home voluntarily or stay in Niger: it is your choice."
    ),
    body_ha=(
        "Kuna da haƙƙoƙi, ko da ba ku da takardu. Ba wanda zai iya ƙwace takardunku ko "
        "kuɗinku.\n\n"
        "## Idan kun iso\n"
        "- Ku nemi ruwa, kulawa da matsuguni: ƙungiyoyin cibiyar sadarwa a Assamaka, Arlit da "
        "Agadez za su iya taimaka muku kyauta.\n"
        "- Ku riƙe takardunku kuma ku ɗauki hotonsu idan za ku iya.\n"
        "- Idan ku yaro ne kai kaɗai, ku faɗa: akwai kariya ta musamman.\n\n"
        "## Bayan haka\n"
        "- Idan an ci zarafinku ko an yi muku sata, za ku iya faɗa wa wata ƙungiya ta cibiyar "
        "sadarwa, a asirce.\n"
        "- Za ku iya neman taimakon komawa gida da son ranku ko ku zauna a Nijar: zaɓinku ne."
    ),
    body_ar=(
        "لديك حقوق حتى بدون وثائق. لا يحق لأحد أن يأخذ وثائقك أو أموالك.\n\n"
        "## عند الوصول\n"
        "- اطلب الماء والرعاية والمأوى: يمكن لمنظمات الشبكة في أساماكا وأرليت وأغاديز "
        "مساعدتك مجاناً.\n"
        "- احتفظ بوثائقك معك والتقط صورة لها إن أمكن.\n"
        "- إذا كنت طفلاً بمفردك فقل ذلك: توجد حماية خاصة لك.\n\n"
        "## بعد ذلك\n"
        "- إذا تعرضت للعنف أو السرقة يمكنك الإبلاغ لدى إحدى منظمات الشبكة بسرية تامة.\n"
        "- يمكنك طلب المساعدة على العودة الطوعية أو البقاء في النيجر: القرار لك."
    ),
)

CIVIL_DOCUMENTS = PageContent(
    slug="civil-documents",
    order=2,
    is_published=True,
    title_fr="Obtenir vos documents d'état civil",
    title_en="Getting your civil documents",
    title_ha="Samun takardunku na zama ɗan ƙasa",
    title_ar="الحصول على وثائق الأحوال المدنية",
    body_fr=(
        "Un acte de naissance, une carte d'identité ou un passeport protègent vos droits et "
        "ceux de vos enfants.\n\n"
        "- Naissance au Niger : déclarez-la au centre d'état civil de la commune. Passé le "
        "délai, un jugement supplétif est possible ; les parajuristes du réseau vous "
        "accompagnent.\n"
        "- Documents perdus ou volés : demandez une attestation de perte au commissariat, puis "
        "contactez le consulat de votre pays.\n"
        "- Les services d'aide juridique de l'annuaire sont gratuits."
    ),
    body_en=(
        "A birth certificate, an identity card or a passport protect your rights and your "
        "children's.\n\n"
        "- Birth in Niger: register it at the commune's civil registry. After the deadline, a "
        "court can issue a substitute judgment; the network's paralegals help you.\n"
        "- Lost or stolen documents: ask the police for a certificate of loss, then contact "
        "your country's consulate.\n"
        "- The legal-aid services of the directory are free."
    ),
    body_ha=(
        "Takardar haihuwa, katin shaida ko fasfo suna kare haƙƙoƙinku da na 'ya'yanku.\n\n"
        "- Haihuwa a Nijar: ku yi rajista a ofishin rajistar haihuwa na gari. Idan lokaci ya "
        "wuce, kotu za ta iya ba da hukunci; masu taimakon shari'a na cibiyar sadarwa suna "
        "taimaka muku.\n"
        "- Takardun da suka ɓace ko aka sace: ku nemi takardar shaidar ɓacewa a ofishin "
        "'yan sanda, sannan ku tuntuɓi ofishin jakadancin ƙasarku.\n"
        "- Ayyukan taimakon shari'a na kundin kyauta ne."
    ),
    body_ar=(
        "شهادة الميلاد وبطاقة الهوية وجواز السفر تحمي حقوقك وحقوق أطفالك.\n\n"
        "- الولادة في النيجر: سجّلها في مكتب الأحوال المدنية في البلدية. بعد انقضاء المهلة "
        "يمكن للمحكمة إصدار حكم بديل، ويساعدك المساعدون القانونيون في الشبكة.\n"
        "- الوثائق المفقودة أو المسروقة: اطلب شهادة فقدان من الشرطة ثم اتصل بقنصلية بلدك.\n"
        "- خدمات المساعدة القانونية في الدليل مجانية."
    ),
)

ROUTES = PageContent(
    slug="dangers-of-the-routes",
    order=3,
    is_published=True,
    title_fr="Les dangers des routes migratoires",
    title_en="The dangers of the migration routes",
    title_ha="Haɗurran hanyoyin ƙaura",
    title_ar="مخاطر طرق الهجرة",
    body_fr=(
        "Le désert tue. Chaque année, des personnes meurent de soif ou sont abandonnées par "
        "des passeurs.\n\n"
        "- Ne partez jamais sans eau en quantité suffisante.\n"
        "- Méfiez-vous des promesses de travail ou de passage faciles : c'est souvent de la "
        "traite.\n"
        "- Ne donnez pas vos documents à un passeur.\n"
        "- Donnez à un proche l'itinéraire et le nom de la personne qui vous transporte."
    ),
    body_en=(
        "The desert kills. Every year people die of thirst or are abandoned by smugglers.\n\n"
        "- Never leave without enough water.\n"
        "- Be wary of promises of easy work or passage: it is often trafficking.\n"
        "- Do not hand your documents to a smuggler.\n"
        "- Tell someone close the route and the name of the person driving you."
    ),
    body_ha=(
        "Hamada tana kisa. Kowace shekara mutane suna mutuwa saboda ƙishirwa ko masu safarar "
        "mutane su bar su.\n\n"
        "- Kada ku tafi ba tare da isasshen ruwa ba.\n"
        "- Ku yi hattara da alkawuran aiki ko wucewa cikin sauƙi: sau da yawa fataucin mutane "
        "ne.\n"
        "- Kada ku ba mai safara takardunku.\n"
        "- Ku faɗa wa wani na kusa hanyar da sunan wanda yake ɗaukar ku."
    ),
    body_ar=(
        "الصحراء تقتل. كل عام يموت أشخاص من العطش أو يتخلى عنهم المهربون.\n\n"
        "- لا تنطلق أبداً دون ماء كافٍ.\n"
        "- احذر من وعود العمل أو العبور السهل: غالباً ما تكون اتجاراً بالبشر.\n"
        "- لا تسلّم وثائقك لمهرّب.\n"
        "- أخبر شخصاً قريباً بالطريق واسم من ينقلك."
    ),
)


EMERGENCY = PageContent(
    slug="emergency-numbers",
    order=4,
    is_published=True,
    title_fr="Numéros d'urgence",
    title_en="Emergency numbers",
    title_ha="Lambobin gaggawa",
    title_ar="أرقام الطوارئ",
    body_fr=(
        "Exemples pour la démonstration : vérifiez chaque numéro avant de publier.\n\n"
        "- Police : tel:17\n- Sapeurs-pompiers : tel:18\n- Urgences médicales : tel:15\n"
        "- Ligne d'écoute du réseau (exemple) : tel:+227 76 00 00 00\n\n"
        "Les appels au 17, 18 et 15 sont gratuits."
    ),
    body_en=(
        "Examples for the demonstration: check each number before publishing.\n\n"
        "- Police: tel:17\n- Fire brigade: tel:18\n- Medical emergencies: tel:15\n"
        "- Network hotline (example): tel:+227 76 00 00 00\n\n"
        "Calls to 17, 18 and 15 are free."
    ),
    body_ha=(
        "Misalai ne don nunawa: ku tabbatar da kowace lamba kafin bugawa.\n\n"
        "- 'Yan sanda: tel:17\n- 'Yan kwana-kwana: tel:18\n- Gaggawar lafiya: tel:15\n"
        "- Layin taimako na cibiyar sadarwa (misali): tel:+227 76 00 00 00\n\n"
        "Kiran 17, 18 da 15 kyauta ne."
    ),
    body_ar=(
        "أمثلة لأغراض العرض: تحقق من كل رقم قبل النشر.\n\n"
        "- الشرطة: tel:17\n- الحماية المدنية: tel:18\n- الطوارئ الطبية: tel:15\n"
        "- خط المساعدة للشبكة (مثال): tel:+227 76 00 00 00\n\n"
        "الاتصال بالأرقام 17 و18 و15 مجاني."
    ),
)

PAGES = (EXPULSION, CIVIL_DOCUMENTS, ROUTES, EMERGENCY)


def play(coordinator: Any) -> int:
    """Write the four pages as ``coordinator`` (a network coordinator). Returns the count."""
    for content in PAGES:
        services.rights_page_create(actor=coordinator, content=content)
    return len(PAGES)
