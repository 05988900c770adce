"""The demo's key pieces in Spanish, addressing the reader as "tú";
see the package's docstring for what is translated and how."""

from __future__ import annotations

from typing import Any

from resources.demo.translations.exercise_kinds import PLAN, RATING, REFLECTION

# {"categories": {slug: (name, description)}, "resources": {english slug: text}, "module": text}
TRANSLATION: dict[str, Any] = {
    "categories": {
        "worried-about-your-own-thoughts": (
            "Preocupación por tus propios pensamientos",
            "Para cualquier persona a la que le inquietan pensamientos o sentimientos sexuales hacia niños, "
            "o que se preocupa por adónde va su comportamiento en internet.",
        ),
        "worried-about-someone-else": (
            "Preocupación por otra persona",
            "Para parejas, familiares y amigos preocupados por el comportamiento o los pensamientos de otro "
            "adulto.",
        ),
        "staying-safe-online": (
            "Seguridad en internet",
            "Pasos prácticos para recuperar el control de tu uso de internet y de tus dispositivos.",
        ),
        "getting-support": (
            "Buscar apoyo",
            "Qué pasa cuando te pones en contacto con nosotros, y otros tipos de ayuda a los que puedes "
            "acudir.",
        ),
    },
    "resources": {
        "you-are-not-alone": {
            "slug": "no-estas-solo",
            "title": "No estás solo: pensamientos no deseados y lo que significan",
            "summary": "Muchas personas tienen pensamientos sexuales sobre niños que les asustan o les "
            "repugnan. Tenerlos no significa que vayas a actuar, y hay ayuda.",
            "body": """
Si estás leyendo esto porque te preocupan pensamientos sobre niños, quizá te ha costado mucho llegar
hasta aquí. Gracias por mirar. Demuestra que te importa hacer lo correcto, y eso cuenta.

## No eres el único

Más personas de las que imaginas tienen pensamientos o sentimientos sexuales sobre niños que no han
elegido y que no quieren. Tú no elegiste estos pensamientos. Lo que *sí* puedes elegir es lo que haces
ahora, y ahí la ayuda marca una diferencia real.

## Pensar no es actuar

Un pensamiento no es una acción. Muchas personas con estos pensamientos nunca hacen daño a un niño. Sé
también honesto contigo: mirar imágenes sexuales de niños nunca es inofensivo. Cada imagen muestra a un
niño real que ha sufrido daño. No es tarde para dejarlo, y también te podemos ayudar con eso.

## Qué puede ayudar

- **Hablar de ello.** Puedes [hablar con nosotros](/chat/) de forma anónima; no te preguntaremos tu
  nombre.
- **Conocer tus patrones.** Nuestro [módulo guiado](/modules/un-plan-para-los-momentos-dificiles/) te
  ayuda con ello.
- **Ayuda profesional**, por ejemplo de un médico, un terapeuta o un orientador.

No tienes que resolver esto solo.
""",
        },
        "when-someone-you-love-is-worrying-you": {
            "slug": "cuando-te-preocupa-alguien-a-quien-quieres",
            "title": "Cuando te preocupa alguien a quien quieres",
            "summary": "Si te preocupa el comportamiento de tu pareja, un familiar o un amigo hacia los "
            "niños, o lo que mira en internet: cómo pensarlo con calma y dónde encontrar ayuda.",
            "body": """
Esta página habla de la posibilidad de que alguien que conoces pueda hacer daño a un niño. A algunas
personas les resulta difícil de leer.

Descubrir o sospechar que alguien cercano tiene un interés sexual por los niños puede poner tu mundo
patas arriba. Puede que sientas conmoción, rabia, miedo o culpa. No hay una forma correcta de sentirse.

## Primero, la seguridad de los niños

Si crees que un niño está en peligro inmediato, llama ahora a los servicios de emergencia. Si no es
una emergencia, apunta lo que has notado y cuándo, y piensa en cómo hacer más seguro el contacto con
los niños.

## Cuida también de ti

Habla con alguien de confianza o con un orientador. También puedes [hablar con nosotros](/chat/):
hablamos cada día con parejas, padres y amigos, y no tienes que dar tu nombre ni el de la otra persona.
""",
        },
        "taking-control-of-your-internet-use": {
            "slug": "toma-el-control-de-tu-uso-de-internet",
            "title": "Toma el control de tu uso de internet",
            "summary": "Cambios sencillos en tus dispositivos y hábitos que te facilitan alejarte de "
            "contenidos dañinos, y qué hacer si tienes una recaída.",
            "body": """
Para muchas personas que nos contactan, todo empezó en internet: horas de búsquedas que fueron más
lejos de lo que querían, a menudo de noche y a solas. Los cambios pequeños pueden ayudar mucho.

## Ponte difícil llegar adonde no quieres ir

- Instala **programas de bloqueo o filtrado** y, si puedes, pide a otra persona que ponga la
  contraseña.
- Activa la **búsqueda segura** y bloquea esa opción.
- Borra las aplicaciones y cuentas que te llevan a contenidos de riesgo.

## Cambia tus hábitos

Deja los dispositivos fuera del dormitorio por la noche, usa internet en espacios compartidos y planea
otra cosa para los momentos que sabes que son más difíciles.

## Si tienes una recaída

Una recaída no significa que hayas fracasado. Mira qué la provocó, ajusta tu plan y [habla con
nosotros](/chat/) si puedes. El módulo [Un plan para los momentos
difíciles](/modules/un-plan-para-los-momentos-dificiles/) te puede ayudar.
""",
        },
        "what-happens-when-you-contact-us": {
            "slug": "que-pasa-cuando-te-pones-en-contacto-con-nosotros",
            "title": "Qué pasa cuando te pones en contacto con nosotros",
            "summary": "Con quién hablarás, qué guardamos y durante cuánto tiempo, y los límites de la "
            "confidencialidad, explicados con claridad.",
            "body": """
Pedir ayuda puede dar miedo, sobre todo la primera vez. Aquí te contamos qué puedes esperar.

## Con quién hablarás

Hablarás con una persona formada de nuestro equipo. Ha hablado con muchas personas en situaciones
como la tuya y no te va a juzgar.

## No tienes que decirnos quién eres

Nunca te pedimos tu nombre, dirección, teléfono ni correo electrónico. Por favor, no nos des datos que
permitan identificarte a ti o a otras personas.

## Cómo contactarnos

- **Chat**, cuando estamos abiertos: elige [Habla con nosotros](/chat/).
- **Mensajes seguros**, cuando estamos cerrados: dejas un mensaje y vuelves a leer nuestra respuesta
  con una frase de contraseña que solo tú conoces.

## Los límites de la confidencialidad

Nuestro servicio es anónimo y confidencial. Pero si nos das datos que permiten identificar a alguien y
nos dices que un niño corre peligro, puede que tengamos que comunicarlo. Lo decimos al principio de
cada conversación, para que decidas qué compartes.
""",
        },
    },
    "module": {
        "slug": "un-plan-para-los-momentos-dificiles",
        "title": "Un plan para los momentos difíciles",
        "summary": "Un módulo paso a paso para entender tus momentos difíciles y escribir tu propio plan "
        "para mantener el control. Puedes hacer pausas cuando quieras.",
        "objectives": """
Al final de este módulo tendrás:

- una idea de desde dónde partes;
- tu propio plan por escrito para un momento de riesgo;
- una idea de a quién puedes acudir para pedir apoyo.

No hay respuestas correctas ni incorrectas. Lo que escribes se queda en tu dispositivo.
""",
        "steps": [
            {
                "title": "¿Desde dónde partes?",
                "body": """
Tómate un momento para notar cuánta confianza sientes ahora en mantener el control. Es solo para ti.
Una puntuación baja no es un fracaso; es un punto de partida útil.
""",
                "exercises": [
                    {
                        "kind": RATING,
                        "prompt": "Ahora mismo, ¿cuánta confianza tienes en poder mantener el control de lo "
                        "que haces?",
                        "min_label": "Ninguna confianza",
                        "max_label": "Total confianza",
                    },
                ],
            },
            {
                "title": "Tu plan para los momentos de riesgo",
                "body": """
Un buen plan es breve y concreto. Escribe cuáles son tus primeras señales de alarma, qué haces en ese
momento (salir de la habitación, dejar el dispositivo, llamar a alguien) y a quién puedes acudir.
También puedes [hablar con nosotros](/chat/).
""",
                "exercises": [
                    {
                        "kind": PLAN,
                        "prompt": "Mi plan: mis señales de alarma, qué hago entonces y a quién puedo pedir "
                        "apoyo.",
                    },
                ],
            },
            {
                "title": "Mirar atrás",
                "body": """
Has llegado al final. Es algo de lo que puedes sentirte orgulloso. Fíjate otra vez en cómo te sientes
ahora.
""",
                "exercises": [
                    {
                        "kind": RATING,
                        "prompt": "Ahora, ¿cuánta confianza tienes en poder mantener el control de lo que "
                        "haces?",
                        "min_label": "Ninguna confianza",
                        "max_label": "Total confianza",
                    },
                    {"kind": REFLECTION, "prompt": "¿Qué te llevas de este módulo?"},
                ],
            },
        ],
    },
}
