// Test articles shared by the stories tests and the pipeline's analyser tests.

// Two similar events: an earthquake in Chile and, days later in the stream, one in Peru. The first
// report of the Peru quake is a short brief that names little, so it joins the Chile story at a low
// score ("in doubt"); the Peru articles that follow confirm another event.
export const CHILE = [
  ['Magnitude 6.1 earthquake strikes northern Chile near Iquique', 'Interior minister Rodrigo Penailillo said power had been restored in Iquique.'],
  ['Strong quake shakes Iquique in northern Chile', 'Schools in Iquique and Arica will open as normal on Wednesday.'],
  ['Chile quake: buildings shake in Iquique, no tsunami', 'The region of Tarapaca was hit by a magnitude 8.2 quake in April.'],
  ['Earthquake rattles Chilean port city of Iquique', 'Mining company Collahuasi said its copper mine near Iquique was not affected.'],
  ['Iquique residents flee homes as quake hits Chile', 'President Michelle Bachelet thanked rescue teams in Iquique.'],
].map(([title, extra], i) => ({
  id: 'chile' + i,
  title,
  text: [
    title,
    'A magnitude 6.1 earthquake struck off the coast of northern Chile on Tuesday, shaking buildings in the port city of Iquique, the US Geological Survey said.',
    'The quake hit at a depth of 20 kilometres about 60 kilometres north-west of Iquique, according to the USGS.',
    "Chile's emergency office ONEMI said there were no immediate reports of damage or injuries and no tsunami warning was issued for the coast.",
    'Residents of Iquique ran into the streets as the shaking lasted nearly a minute, local radio Bio Bio reported.',
    extra,
  ].join('\n'),
}));
export const PERU_BRIEF = {
  id: 'peru0',
  title: 'Strong earthquake shakes buildings, USGS says',
  text: [
    'Strong earthquake shakes buildings, USGS says',
    'A strong earthquake struck on Saturday, shaking buildings near the city of Arequipa, the US Geological Survey said.',
    'The quake hit at a depth of 35 kilometres, according to the USGS.',
    'There were no immediate reports of damage or injuries in the Arequipa region, officials in Peru said.',
    'Residents ran into the streets as the shaking lasted nearly a minute, local radio reported.',
  ].join('\n'),
};
export const PERU = [
  ['Strong quake shakes Arequipa in southern Peru', 'The Colca canyon road to Chivay was blocked by landslides.'],
  ['Peru quake: homes collapse in Arequipa villages', 'Rescue teams from Lima arrived in Chivay on Sunday.'],
  ['Earthquake rattles Peruvian city of Arequipa', 'INDECI sent tents and blankets to Yanque and Chivay.'],
  ['Arequipa residents sleep outdoors after Peru quake', 'Humala declared a state of emergency in the Caylloma province.'],
  ['Magnitude 6.8 earthquake strikes southern Peru near Arequipa', 'President Ollanta Humala flew to Arequipa to visit the injured.'],
].map(([title, extra], i) => ({
  id: 'peru' + (i + 1),
  title,
  text: [
    title,
    'A magnitude 6.8 earthquake struck southern Peru on Saturday, shaking buildings in the city of Arequipa and the Colca valley, the US Geological Survey said.',
    'The quake hit at a depth of 35 kilometres about 80 kilometres north of Arequipa, according to the USGS.',
    "Peru's civil defence institute INDECI said dozens of adobe homes collapsed in the villages of Chivay and Yanque and four people were killed.",
    'Residents of Arequipa ran into the streets as the shaking lasted nearly a minute, radio Programas del Peru reported.',
    extra,
  ].join('\n'),
}));
